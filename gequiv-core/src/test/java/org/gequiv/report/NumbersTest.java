package org.gequiv.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NumbersTest {

    @Test
    void displaysFourSignificantDigits() {
        assertEquals("0.1235", Numbers.display(0.123456));
        assertEquals("1235", Numbers.display(1234.56));
        assertEquals("−2.5", Numbers.display(-2.5));
        assertEquals("1.235e-5", Numbers.display(1.23456e-5));
        assertEquals("1.2e7", Numbers.display(1.2e7));
        assertEquals("3", Numbers.display(3.0));
        assertEquals(Numbers.MISSING, Numbers.display(Double.NaN));
    }

    @Test
    void displayedNumbersParseBackWithinHalfAUnitOfTheLastDigit() {
        for (double v : new double[] {0.123456, -98765.4321, 1.23456e-5, 7.0e8, 0.5, -3.14159e-7}) {
            double back = Numbers.parse(Numbers.display(v));
            assertEquals(v, back, 5e-4 * Math.abs(v), "round trip of " + v);
        }
    }

    @Test
    void errorHasTwoDigitsAndTheMeanItsDecimalPlace() {
        assertEquals("−8.0 ± 1.2", Numbers.withError(-8.04, 1.23));
        assertEquals("0.0312 ± 0.0045", Numbers.withError(0.03123, 0.00449));
        assertEquals("1234 ± 45", Numbers.withError(1234.4, 45.2));
        assertEquals("0.5", Numbers.withError(0.5, Double.NaN));
    }
}
