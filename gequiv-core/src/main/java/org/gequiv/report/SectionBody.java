package org.gequiv.report;

import java.util.List;

/**
 * What a finished section shows, computed from its results table alone: the tables shown on the
 * page (each also written as CSV), the figures, the verdict lines — sentences whose numbers come
 * from those tables — and further tables written as CSV and linked, not shown (the seed-averaged
 * summary of every recorded row).
 *
 * @param tables   displayed tables, in order
 * @param figures  figures, in order
 * @param verdicts one or more verdict sentences
 * @param notes    remarks on how to read the section; may be empty
 * @param files    tables written as CSV and linked only; may be empty
 */
public record SectionBody(List<ReportTable> tables, List<FigureData> figures, List<String> verdicts,
                          List<String> notes, List<ReportTable> files) {
    public SectionBody {
        tables = List.copyOf(tables);
        figures = List.copyOf(figures);
        verdicts = List.copyOf(verdicts);
        notes = List.copyOf(notes);
        files = List.copyOf(files);
        if (verdicts.isEmpty()) {
            throw new IllegalArgumentException("verdicts must hold at least one sentence");
        }
    }
}
