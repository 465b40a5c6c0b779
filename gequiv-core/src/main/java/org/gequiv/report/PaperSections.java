package org.gequiv.report;

import java.util.List;

/**
 * The sections of the paper report in page order (docs/theory.md §2, §5, §6, §7), at one scale.
 */
public final class PaperSections {

    private PaperSections() {
    }

    public static List<ReportSection> all(ReportScale scale, ReportContext context) {
        return List.of(new GaussianFieldsSection(scale, context), new DeepRandomOnlineSection(scale, context),
                new DeepGeneratorsSection(scale, context), new FiniteSizeSection(scale, context), new ErmSection(scale, context),
                new EquivalenceSection(scale, context));
    }
}
