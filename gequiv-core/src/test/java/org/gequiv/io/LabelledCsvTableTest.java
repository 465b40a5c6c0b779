package org.gequiv.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LabelledCsvTableTest {

    @Test
    void rendersProvenanceHeaderTextAndNumbersLikeCsvTable() {
        LabelledCsvTable t = new LabelledCsvTable(List.of("N", "statistic", "value"));
        t.addRow(250, "w1_lambda_1", 0.1);
        t.addRow(500, "ks_nu_1", Double.NaN);
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("tool", "gequiv");
        String expectedHead = new CsvTable(List.of("N", "statistic", "value")).render(prov);
        // 0.1 with 17 significant digits, NaN as an empty field
        assertEquals(expectedHead + "250,w1_lambda_1," + CsvTable.format(0.1) + "\n500,ks_nu_1,\n", t.render(prov));
        assertEquals(2, t.rowCount());
    }

    @Test
    void rejectsCellsThatWouldBreakTheFormat() {
        LabelledCsvTable t = new LabelledCsvTable(List.of("a", "b"));
        assertThrows(IllegalArgumentException.class, () -> t.addRow("x,y", 1));
        assertThrows(IllegalArgumentException.class, () -> t.addRow("x", new Object()));
        assertThrows(IllegalArgumentException.class, () -> t.addRow(1));
    }
}
