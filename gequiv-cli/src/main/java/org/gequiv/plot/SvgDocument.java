package org.gequiv.plot;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Image;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.font.FontRenderContext;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.PathIterator;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import javax.imageio.ImageIO;

import de.erichseifert.vectorgraphics2d.intermediate.CommandSequence;
import de.erichseifert.vectorgraphics2d.intermediate.commands.AffineTransformCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.Command;
import de.erichseifert.vectorgraphics2d.intermediate.commands.CreateCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.DisposeCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.DrawImageCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.DrawShapeCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.DrawStringCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.FillShapeCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.Group;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetClipCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetColorCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetCompositeCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetFontCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetPaintCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetStrokeCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetTransformCommand;

/**
 * The SVG text of a drawing recorded by VectorGraphics2D (the commands XChart paints), written in
 * one pass as a string instead of through VectorGraphics2D's own DOM document and XML transformer,
 * whose cost grew with every marker (one DOM element, its attributes and their serialisation each)
 * and whose transformer classes were loaded and compiled in every run that wrote a figure
 * (issue 11).
 *
 * <p>The same picture: every shape in device coordinates (the recorded transforms applied), each
 * run of shapes under one clip in a group clipped by a rectangle or path, fills and strokes with
 * the recorded colour, opacity and {@link BasicStroke} (width, caps, joins, miter limit, dashes),
 * text as glyph outlines as XChart draws it. A filled circle under a translation — a scatter
 * marker — is a {@code <use>} of one {@code <circle>} of its radius defined once, instead of an
 * element with its own geometry. Coordinates are written with at most {@value #DECIMALS} decimals
 * (a thousandth of a pixel). Not thread-safe: one instance per document.
 */
final class SvgDocument {

    /** Decimals of every coordinate: 10⁻³ px, far below what a viewer can resolve. */
    static final int DECIMALS = 3;
    private static final double SCALE = 1000;

    /** The drawing state that Create/Dispose save and restore, as VectorGraphics2D's own processor does. */
    private static final class State implements Cloneable {
        AffineTransform transform = new AffineTransform();
        /** The clip in device coordinates, or null for none. */
        Shape clip;
        Color colour = Color.BLACK;
        Stroke stroke = new BasicStroke();
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        double opacity = 1;

        State copy() {
            try {
                State s = (State) super.clone();
                s.transform = new AffineTransform(transform);
                return s;
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private final StringBuilder defs = new StringBuilder();
    private final StringBuilder body = new StringBuilder(1 << 16);
    private final Map<Double, String> circles = new HashMap<>();
    private final Map<Rectangle2D, String> clips = new HashMap<>();
    private final Deque<State> saved = new ArrayDeque<>();
    private State state = new State();
    /** The clip of the open group (null: no group open). */
    private Shape groupClip;
    private boolean groupOpen;
    private int ids;

    private SvgDocument() {
    }

    /** The SVG document (UTF-8 bytes) of {@code commands} on a {@code width × height} page. */
    static byte[] write(CommandSequence commands, int width, int height) {
        SvgDocument d = new SvgDocument();
        d.run(commands);
        d.closeGroup();
        StringBuilder out = new StringBuilder(d.body.length() + d.defs.length() + 512);
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n")
                .append("<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\" ")
                .append("width=\"").append(width).append("px\" height=\"").append(height).append("px\" viewBox=\"0 0 ")
                .append(width).append(' ').append(height).append("\">\n<defs>\n").append(d.defs).append("</defs>\n")
                .append(d.body).append("</svg>\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void run(Iterable<Command<?>> commands) {
        for (Command<?> c : commands) {
            if (c instanceof Group g) {
                run(g.getValue());
            } else if (c instanceof CreateCommand) {
                saved.push(state);
                state = state.copy();
            } else if (c instanceof DisposeCommand) {
                if (!saved.isEmpty()) {
                    state = saved.pop();
                }
            } else if (c instanceof SetTransformCommand t) {
                state.transform = new AffineTransform(t.getValue());
            } else if (c instanceof AffineTransformCommand t) {
                // translate, scale, rotate, shear and transform: relative to the current transform
                state.transform.concatenate(t.getValue());
            } else if (c instanceof SetClipCommand s) {
                // recorded in the user space of its moment; a clip stays fixed on the page when the transform changes
                state.clip = deviceClip(s.getValue(), state.transform);
            } else if (c instanceof SetColorCommand s) {
                state.colour = s.getValue();
            } else if (c instanceof SetPaintCommand s) {
                if (s.getValue() instanceof Color colour) {
                    state.colour = colour;
                }
            } else if (c instanceof SetStrokeCommand s) {
                state.stroke = s.getValue();
            } else if (c instanceof SetFontCommand s) {
                state.font = s.getValue();
            } else if (c instanceof SetCompositeCommand s) {
                state.opacity = s.getValue() instanceof AlphaComposite a ? a.getAlpha() : 1;
            } else if (c instanceof FillShapeCommand f) {
                fill(f.getValue());
            } else if (c instanceof DrawShapeCommand d) {
                draw(d.getValue());
            } else if (c instanceof DrawStringCommand s) {
                FontRenderContext frc = new FontRenderContext(null, true, true);
                fill(state.font.createGlyphVector(frc, s.getValue()).getOutline((float) s.getX(), (float) s.getY()));
            } else if (c instanceof DrawImageCommand i) {
                image(i);
            }
            // hints, background and XOR mode do not change what is drawn in a vector document
        }
    }

    private void fill(Shape shape) {
        startElement();
        AffineTransform t = state.transform;
        if (translation(t) && shape instanceof Ellipse2D e && e.getWidth() == e.getHeight()) {
            double r = e.getWidth() / 2;
            String id = circles.computeIfAbsent(r, radius -> {
                String name = "dot" + ids++;
                defs.append("<circle id=\"").append(name).append("\" r=\"");
                number(defs, radius);
                defs.append("\"/>\n");
                return name;
            });
            body.append("<use xlink:href=\"#").append(id).append("\" x=\"");
            number(body, e.getCenterX() + t.getTranslateX());
            body.append("\" y=\"");
            number(body, e.getCenterY() + t.getTranslateY());
            body.append("\" style=\"");
            paint("fill", state.colour);
            body.append("\"/>\n");
            return;
        }
        if (translation(t) && shape instanceof Rectangle2D rect) {
            rect(rect, t);
        } else {
            path(shape);
        }
        body.append(" style=\"");
        paint("fill", state.colour);
        if (!(shape instanceof Rectangle2D) && windingEvenOdd(shape)) {
            body.append("fill-rule:evenodd;");
        }
        body.append("stroke:none;\"/>\n");
    }

    private void draw(Shape shape) {
        startElement();
        AffineTransform t = state.transform;
        if (translation(t) && shape instanceof Line2D l) {
            double dx = t.getTranslateX();
            double dy = t.getTranslateY();
            body.append("<line x1=\"");
            number(body, l.getX1() + dx);
            body.append("\" y1=\"");
            number(body, l.getY1() + dy);
            body.append("\" x2=\"");
            number(body, l.getX2() + dx);
            body.append("\" y2=\"");
            number(body, l.getY2() + dy);
            body.append('"');
        } else if (translation(t) && shape instanceof Rectangle2D rect) {
            rect(rect, t);
        } else {
            path(shape);
        }
        body.append(" style=\"fill:none;");
        paint("stroke", state.colour);
        stroke(state.stroke, t);
        body.append("\"/>\n");
    }

    private void rect(Rectangle2D r, AffineTransform t) {
        body.append("<rect x=\"");
        number(body, r.getX() + t.getTranslateX());
        body.append("\" y=\"");
        number(body, r.getY() + t.getTranslateY());
        body.append("\" width=\"");
        number(body, r.getWidth());
        body.append("\" height=\"");
        number(body, r.getHeight());
        body.append('"');
    }

    private void path(Shape shape) {
        body.append("<path d=\"");
        pathData(body, shape.getPathIterator(state.transform));
        body.append('"');
    }

    private void image(DrawImageCommand i) {
        Image img = i.getValue();
        BufferedImage rgb = new BufferedImage(i.getImageWidth(), i.getImageHeight(), BufferedImage.TYPE_INT_ARGB);
        rgb.createGraphics().drawImage(img, 0, 0, null);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(rgb, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        startElement();
        AffineTransform t = state.transform;
        body.append("<image transform=\"matrix(");
        number(body, t.getScaleX());
        body.append(' ');
        number(body, t.getShearY());
        body.append(' ');
        number(body, t.getShearX());
        body.append(' ');
        number(body, t.getScaleY());
        body.append(' ');
        number(body, t.getTranslateX());
        body.append(' ');
        number(body, t.getTranslateY());
        body.append(")\" x=\"");
        number(body, i.getX());
        body.append("\" y=\"");
        number(body, i.getY());
        body.append("\" width=\"");
        number(body, i.getWidth());
        body.append("\" height=\"");
        number(body, i.getHeight());
        body.append("\" preserveAspectRatio=\"none\" xlink:href=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png.toByteArray())).append("\"/>\n");
    }

    /** Opens a group for the current clip unless the open one has it. */
    private void startElement() {
        Shape clip = state.clip;
        if (groupOpen && (clip == null ? groupClip == null : clip.equals(groupClip))) {
            return;
        }
        closeGroup();
        groupOpen = true;
        groupClip = clip;
        if (clip == null) {
            body.append("<g>\n");
            return;
        }
        String id;
        if (clip instanceof Rectangle2D r) {
            id = clips.get(r);
            if (id == null) {
                id = "clip" + ids++;
                clips.put((Rectangle2D) r.clone(), id);
                defs.append("<clipPath id=\"").append(id).append("\"><rect x=\"");
                number(defs, r.getX());
                defs.append("\" y=\"");
                number(defs, r.getY());
                defs.append("\" width=\"");
                number(defs, r.getWidth());
                defs.append("\" height=\"");
                number(defs, r.getHeight());
                defs.append("\"/></clipPath>\n");
            }
        } else {
            id = "clip" + ids++;
            defs.append("<clipPath id=\"").append(id).append("\"><path d=\"");
            pathData(defs, clip.getPathIterator(null));
            defs.append("\"/></clipPath>\n");
        }
        body.append("<g clip-path=\"url(#").append(id).append(")\">\n");
    }

    private void closeGroup() {
        if (groupOpen) {
            body.append("</g>\n");
            groupOpen = false;
        }
    }

    private void paint(String property, Color c) {
        body.append(property).append(":rgb(").append(c.getRed()).append(',').append(c.getGreen()).append(',')
                .append(c.getBlue()).append(");");
        double opacity = state.opacity * c.getAlpha() / 255.0;
        if (opacity < 1) {
            body.append(property).append("-opacity:");
            number(body, opacity);
            body.append(';');
        }
    }

    private void stroke(Stroke s, AffineTransform t) {
        if (!(s instanceof BasicStroke b)) {
            return;
        }
        // device width: the transform's area scale (exact for translations and uniform scales)
        double scale = Math.sqrt(Math.abs(t.getDeterminant()));
        double width = b.getLineWidth() * scale;
        if (width != 1) {
            body.append("stroke-width:");
            number(body, width);
            body.append(';');
        }
        if (b.getEndCap() == BasicStroke.CAP_ROUND) {
            body.append("stroke-linecap:round;");
        } else if (b.getEndCap() == BasicStroke.CAP_SQUARE) {
            body.append("stroke-linecap:square;");
        }
        if (b.getLineJoin() == BasicStroke.JOIN_ROUND) {
            body.append("stroke-linejoin:round;");
        } else if (b.getLineJoin() == BasicStroke.JOIN_BEVEL) {
            body.append("stroke-linejoin:bevel;");
        } else {
            body.append("stroke-miterlimit:");
            number(body, b.getMiterLimit());
            body.append(';');
        }
        float[] dash = b.getDashArray();
        if (dash != null) {
            body.append("stroke-dasharray:");
            for (int i = 0; i < dash.length; i++) {
                if (i > 0) {
                    body.append(',');
                }
                number(body, dash[i] * scale);
            }
            body.append(';');
            if (b.getDashPhase() != 0) {
                body.append("stroke-dashoffset:");
                number(body, b.getDashPhase() * scale);
                body.append(';');
            }
        }
    }

    /** {@code clip} (user space of {@code t}) on the page; a translated rectangle stays a rectangle. */
    private static Shape deviceClip(Shape clip, AffineTransform t) {
        if (clip == null) {
            return null;
        }
        if (translation(t) && clip instanceof Rectangle2D r) {
            return new Rectangle2D.Double(r.getX() + t.getTranslateX(), r.getY() + t.getTranslateY(), r.getWidth(),
                    r.getHeight());
        }
        return t.createTransformedShape(clip);
    }

    private static boolean translation(AffineTransform t) {
        return (t.getType() & ~AffineTransform.TYPE_TRANSLATION) == 0;
    }

    private static boolean windingEvenOdd(Shape shape) {
        return shape.getPathIterator(null).getWindingRule() == PathIterator.WIND_EVEN_ODD;
    }

    private static void pathData(StringBuilder sb, PathIterator it) {
        double[] p = new double[6];
        boolean first = true;
        for (; !it.isDone(); it.next()) {
            int type = it.currentSegment(p);
            if (!first) {
                sb.append(' ');
            }
            first = false;
            switch (type) {
                case PathIterator.SEG_MOVETO -> points(sb.append('M'), p, 1);
                case PathIterator.SEG_LINETO -> points(sb.append('L'), p, 1);
                case PathIterator.SEG_QUADTO -> points(sb.append('Q'), p, 2);
                case PathIterator.SEG_CUBICTO -> points(sb.append('C'), p, 3);
                default -> sb.append('Z');
            }
        }
    }

    private static void points(StringBuilder sb, double[] p, int count) {
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            number(sb, p[2 * i]);
            sb.append(',');
            number(sb, p[2 * i + 1]);
        }
    }

    /**
     * Appends {@code v} rounded to {@value #DECIMALS} decimals, without trailing zeros ("12",
     * "-0.5", "3.142"): the one number format of the document, without a formatter object per
     * number.
     */
    static void number(StringBuilder sb, double v) {
        if (!Double.isFinite(v) || Math.abs(v) >= 1e12) {
            // never drawn by a chart, and beyond the fixed-point range below
            sb.append(Double.isFinite(v) ? Double.toString(v) : "0");
            return;
        }
        long scaled = Math.round(v * SCALE);
        if (scaled < 0) {
            sb.append('-');
            scaled = -scaled;
        }
        long whole = scaled / (long) SCALE;
        int fraction = (int) (scaled % (long) SCALE);
        sb.append(whole);
        if (fraction != 0) {
            sb.append('.');
            int digits = DECIMALS;
            while (fraction % 10 == 0) {
                fraction /= 10;
                digits--;
            }
            String f = Integer.toString(fraction);
            for (int i = f.length(); i < digits; i++) {
                sb.append('0');
            }
            sb.append(f);
        }
    }
}
