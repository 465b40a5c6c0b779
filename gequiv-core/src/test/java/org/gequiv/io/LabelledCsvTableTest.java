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
    void quotesTextCellsAsRfc4180AndReadsThemBack() {
        LabelledCsvTable t = new LabelledCsvTable(List.of("a", "b"));
        t.addRow("x,y", 1).addRow("say \"no\"", 2).addRow("plain", 3);
        List<String> lines = t.render(null).lines().toList();
        assertEquals("\"x,y\",1", lines.get(1));
        assertEquals("\"say \"\"no\"\"\",2", lines.get(2));
        assertEquals("plain,3", lines.get(3));
        assertEquals(List.of("x,y", "1"), LabelledCsvTable.fields(lines.get(1)));
        assertEquals(List.of("say \"no\"", "2"), LabelledCsvTable.fields(lines.get(2)));
        assertEquals(List.of("", "a", ""), LabelledCsvTable.fields(",a,"));
        assertEquals("\"two\nlines\"", LabelledCsvTable.quote("two\nlines"));
        assertEquals("two; lines", LabelledCsvTable.oneLine(" two \n lines "));
        assertThrows(IllegalArgumentException.class, () -> LabelledCsvTable.fields("\"open,1"));
        assertThrows(IllegalArgumentException.class, () -> LabelledCsvTable.fields("\"a\"b,1"));
    }

    @Test
    void rejectsCellsThatAreNeitherTextNorNumbers() {
        LabelledCsvTable t = new LabelledCsvTable(List.of("a", "b"));
        assertThrows(IllegalArgumentException.class, () -> t.addRow("x", new Object()));
        assertThrows(IllegalArgumentException.class, () -> t.addRow(1));
    }
}
