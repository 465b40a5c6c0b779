package org.gequiv.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.gequiv.online.LearningCurve;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;

/** The SVG written from VectorGraphics2D's commands (issue 11): same geometry, markers shared. */
class SvgDocumentTest {

    private static String number(double v) {
        StringBuilder sb = new StringBuilder();
        SvgDocument.number(sb, v);
        return sb.toString();
    }

    @Test
    void numbersHaveAtMostThreeDecimalsAndNoTrailingZeros() {
        assertEquals("12", number(12));
        assertEquals("-0.5", number(-0.5));
        assertEquals("3.142", number(Math.PI));
        assertEquals("0.007", number(0.007));
        assertEquals("1.05", number(1.05));
        assertEquals("-20.063", number(-20.0625 - 1e-9));
        assertEquals("0", number(0.0004));
        assertEquals("0", number(-0.0004), "no negative zero");
        assertEquals("123456789", number(123456789));
    }

    private static Document parse(byte[] svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        // the document type names the SVG 1.1 DTD on the network: well-formedness is checked without it
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg));
    }

    @Test
    void shapesAreInDeviceCoordinatesUnderTheirClipAndState() throws Exception {
        VectorGraphics2D g = new VectorGraphics2D();
        g.setColor(Color.RED);
        g.translate(10, 20);
        g.setClip(new Rectangle2D.Double(0, 0, 50, 40));
        Graphics2D child = (Graphics2D) g.create();
        child.setColor(new Color(0, 0, 255));
        child.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_BEVEL));
        child.draw(new Line2D.Double(1, 2, 3, 4));
        child.dispose();
        g.fill(new Ellipse2D.Double(0, 0, 4, 4));
        g.fill(new Rectangle2D.Double(1, 1, 2, 3));

        String svg = new String(SvgDocument.write(g.getCommands(), 100, 80), StandardCharsets.UTF_8);
        Document doc = parse(svg.getBytes(StandardCharsets.UTF_8));
        Element line = (Element) doc.getElementsByTagName("line").item(0);
        assertEquals("11", line.getAttribute("x1"));
        assertEquals("22", line.getAttribute("y1"));
        assertEquals("13", line.getAttribute("x2"));
        assertEquals("24", line.getAttribute("y2"));
        assertEquals("fill:none;stroke:rgb(0,0,255);stroke-width:2;stroke-linecap:round;stroke-linejoin:bevel;",
                line.getAttribute("style"));
        // the marker: a <use> of one circle of radius 2 at the ellipse's centre, in the parent's red again
        Element use = (Element) doc.getElementsByTagName("use").item(0);
        assertEquals("12", use.getAttribute("x"));
        assertEquals("22", use.getAttribute("y"));
        assertEquals("fill:rgb(255,0,0);", use.getAttribute("style"));
        Element circle = (Element) doc.getElementsByTagName("circle").item(0);
        assertEquals("#" + circle.getAttribute("id"), use.getAttributeNS("http://www.w3.org/1999/xlink", "href"));
        assertEquals("2", circle.getAttribute("r"));
        Element rect = (Element) doc.getElementsByTagName("rect").item(1);
        assertEquals("11", rect.getAttribute("x"));
        assertEquals("21", rect.getAttribute("y"));
        assertEquals("3", rect.getAttribute("height"));
        // the clip, set after the translation, lies at (10, 20) on the page; all three shapes share its group
        Element clipRect = (Element) doc.getElementsByTagName("clipPath").item(0).getFirstChild();
        assertEquals("10", clipRect.getAttribute("x"));
        assertEquals("20", clipRect.getAttribute("y"));
        assertEquals("50", clipRect.getAttribute("width"));
        NodeList groups = doc.getElementsByTagName("g");
        assertEquals(1, groups.getLength());
        assertEquals(3, ((Element) groups.item(0)).getElementsByTagName("*").getLength());
    }

    @Test
    void everyMarkerOfAChartIsAUseOfOneSharedCircle() throws Exception {
        int points = 150;
        List<LearningCurve.Point> p = new ArrayList<>();
        for (int i = 1; i <= points; i++) {
            double t = 0.05 * i;
            p.add(new LearningCurve.Point(t, 0.1 / (1 + t), new double[] {1, 0.1, 0.1, 1 + t},
                    new double[] {t, 0, 0, t}, new double[] {1, 1}));
        }
        LearningCurve sim = new LearningCurve(2, 2, p, LearningCurve.Termination.completedAt(0.05 * points));
        List<LearningCurvePlot.Series> series = List.of(new LearningCurvePlot.Series("simulation", sim, true));
        XYChart eg = LearningCurvePlot.generalisationError("t", series);
        VectorGraphics2D g = new VectorGraphics2D();
        eg.paint(g, eg.getWidth(), eg.getHeight());
        Document doc = parse(SvgDocument.write(g.getCommands(), eg.getWidth(), eg.getHeight()));
        // one circle definition for the marker size; each point one <use>, plus the legend's marker
        assertEquals(1, doc.getElementsByTagName("circle").getLength());
        assertEquals(points + 1, doc.getElementsByTagName("use").getLength());
        assertEquals(0, doc.getElementsByTagName("ellipse").getLength());
        assertTrue(doc.getElementsByTagName("path").getLength() > 0, "titles and labels as glyph outlines");
    }
}
