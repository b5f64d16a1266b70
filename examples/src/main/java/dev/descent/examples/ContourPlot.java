package dev.descent.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import javax.imageio.ImageIO;

/**
 * A 2-D function drawn as a coloured contour map with optimisation paths over it, as a PNG. Colours follow
 * asinh(f / scale), so both the floor of a valley and the walls around it stay readable; thin dark lines mark
 * levels at equal steps of that transform.
 */
final class ContourPlot {
    private ContourPlot() {}

    /** A path through the plane: x and y of each iterate. */
    record Path2D(String label, double[] xs, double[] ys) {}

    private static final int W = 820, H = 640, LEFT = 70, RIGHT = 190, TOP = 40, BOTTOM = 50;
    private static final Color[] PALETTE = {new Color(68, 1, 84), new Color(59, 82, 139), new Color(33, 145, 140),
            new Color(94, 201, 98), new Color(253, 231, 37)};
    private static final Color[] LINES = {new Color(230, 25, 75), Color.WHITE, new Color(255, 140, 0), new Color(0, 200, 255),
            new Color(255, 0, 255), new Color(140, 255, 140), new Color(255, 215, 0), Color.BLACK, new Color(170, 110, 40)};

    static Path save(Path dir, String name, String title, DoubleBinaryOperator f, double x0, double x1, double y0, double y1,
                     List<Path2D> paths) throws IOException {
        int pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM;
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = whiteCanvas(img);
        g.drawImage(field(f, x0, x1, y0, y1, pw, ph), LEFT, TOP, null);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, TOP - 14);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawRect(LEFT, TOP, pw, ph);
        for (int k = 0; k <= 4; k++) {
            double xv = x0 + k * (x1 - x0) / 4, yv = y0 + k * (y1 - y0) / 4;
            int px = LEFT + k * pw / 4, py = TOP + ph - k * ph / 4;
            g.drawLine(px, TOP + ph, px, TOP + ph + 5);
            g.drawString(fmt(xv), px - 12, TOP + ph + 20);
            g.drawLine(LEFT - 5, py, LEFT, py);
            String label = fmt(yv);
            g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), py + 4); // right-aligned, clear of the axis title
        }
        g.drawString("x", LEFT + pw / 2, H - 10);
        g.drawString("y", 6, TOP + ph / 2);
        g.setClip(LEFT, TOP, pw, ph);
        for (int p = 0; p < paths.size(); p++) drawPath(g, paths.get(p), LEFT, TOP, pw, ph, x0, x1, y0, y1, LINES[p % LINES.length], 2f);
        g.setClip(null);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int p = 0; p < paths.size(); p++) {
            int y = TOP + 10 + p * 20;
            g.setColor(LINES[p % LINES.length]);
            g.fillRect(W - RIGHT + 12, y, 18, 10);
            g.setColor(Color.BLACK);
            g.drawRect(W - RIGHT + 12, y, 18, 10);
            g.drawString(paths.get(p).label(), W - RIGHT + 36, y + 10);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawString("circle: start, square: end", W - RIGHT + 12, TOP + ph);
        g.dispose();
        return write(img, dir, name);
    }

    /**
     * The contour map of {@code f} over the window as a {@code pw × ph} image: colours follow asinh(f / scale), thin dark
     * lines mark 18 levels at equal steps of it.
     */
    private static BufferedImage field(DoubleBinaryOperator f, double x0, double x1, double y0, double y1, int pw, int ph) {
        double[][] t = new double[ph][pw];
        double scale = 0;
        for (int j = 0; j < ph; j++) {
            for (int i = 0; i < pw; i++) {
                double v = f.applyAsDouble(x0 + (i + 0.5) / pw * (x1 - x0), y1 - (j + 0.5) / ph * (y1 - y0));
                t[j][i] = v;
                if (Double.isFinite(v)) scale += Math.abs(v);
            }
        }
        scale = Math.max(scale / (pw * ph), 1e-12) * 0.05;
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] row : t) {
            for (int i = 0; i < pw; i++) {
                row[i] = asinh(row[i] / scale);
                if (Double.isFinite(row[i])) {
                    lo = Math.min(lo, row[i]);
                    hi = Math.max(hi, row[i]);
                }
            }
        }
        BufferedImage img = new BufferedImage(pw, ph, BufferedImage.TYPE_INT_RGB);
        int levels = 18;
        for (int j = 0; j < ph; j++) {
            for (int i = 0; i < pw; i++) {
                double u = (t[j][i] - lo) / Math.max(hi - lo, 1e-300);
                int level = (int) Math.floor(u * levels);
                boolean edge = (i + 1 < pw && level != (int) Math.floor((t[j][i + 1] - lo) / Math.max(hi - lo, 1e-300) * levels))
                        || (j + 1 < ph && level != (int) Math.floor((t[j + 1][i] - lo) / Math.max(hi - lo, 1e-300) * levels));
                Color c = colour(u);
                if (edge) c = c.darker().darker();
                img.setRGB(i, j, c.getRGB());
            }
        }
        return img;
    }

    /**
     * Small multiples: one panel per path, {@code columns} to a row, each the same contour map with one path drawn in
     * {@code colours.get(p)} (over a white halo, so that it reads on dark and light colours alike) and the minimum
     * {@code (minX, minY)} marked with a cross. No path can hide another, and each keeps the colour it has in the
     * demonstration's other charts.
     */
    static Path saveGrid(Path dir, String name, String title, DoubleBinaryOperator f, double x0, double x1, double y0, double y1, double minX,
                         double minY, List<Path2D> paths, List<Color> colours, int columns) throws IOException {
        int pw = 260, ph = 190, gapX = 24, gapY = 44, left = 16, top = 48;
        int rows = (paths.size() + columns - 1) / columns;
        int width = left * 2 + columns * pw + (columns - 1) * gapX, height = top + rows * (ph + gapY);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = whiteCanvas(img);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, left, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("x from " + fmt(x0) + " to " + fmt(x1) + ", y from " + fmt(y0) + " to " + fmt(y1)
                + "; circle: start, square: end, +: minimum", left, 38);
        BufferedImage map = field(f, x0, x1, y0, y1, pw, ph);
        for (int p = 0; p < paths.size(); p++) {
            int px0 = left + (p % columns) * (pw + gapX), py0 = top + (p / columns) * (ph + gapY) + 18;
            g.setColor(colours.get(p));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString(paths.get(p).label(), px0, py0 - 5);
            g.drawImage(map, px0, py0, null);
            g.setColor(Color.BLACK);
            g.drawRect(px0, py0, pw, ph);
            g.setClip(px0, py0, pw, ph);
            int mx = px0 + (int) Math.round((minX - x0) / (x1 - x0) * pw), my = py0 + ph - (int) Math.round((minY - y0) / (y1 - y0) * ph);
            g.setStroke(new BasicStroke(2f));
            g.setColor(Color.WHITE);
            g.drawLine(mx - 6, my, mx + 6, my);
            g.drawLine(mx, my - 6, mx, my + 6);
            drawPath(g, paths.get(p), px0, py0, pw, ph, x0, x1, y0, y1, Color.WHITE, 5f);
            drawPath(g, paths.get(p), px0, py0, pw, ph, x0, x1, y0, y1, colours.get(p), 2.2f);
            g.setClip(null);
        }
        g.dispose();
        return write(img, dir, name);
    }

    private static void drawPath(Graphics2D g, Path2D path, int left, int top, int pw, int ph, double x0, double x1, double y0, double y1, Color colour,
                                 float width) {
        g.setColor(colour);
        g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        int prevX = 0, prevY = 0, r = Math.round(width) + 3;
        for (int k = 0; k < path.xs().length; k++) {
            if (!Double.isFinite(path.xs()[k]) || !Double.isFinite(path.ys()[k])) break;
            int px = left + (int) Math.round(Math.max(-1e4, Math.min(1e4, (path.xs()[k] - x0) / (x1 - x0) * pw)));
            int py = top + ph - (int) Math.round(Math.max(-1e4, Math.min(1e4, (path.ys()[k] - y0) / (y1 - y0) * ph)));
            if (k == 0) g.fillOval(px - r, py - r, 2 * r, 2 * r);
            else g.drawLine(prevX, prevY, px, py);
            prevX = px;
            prevY = py;
        }
        g.fillRect(prevX - r + 1, prevY - r + 1, 2 * r - 2, 2 * r - 2);
    }

    /** Graphics on {@code img} painted white, with anti-aliased lines and text. */
    static Graphics2D whiteCanvas(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        return g;
    }

    private static Path write(BufferedImage img, Path dir, String name) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        Path file = dir.resolve(name + ".png");
        Path tmp = dir.resolve("." + name + ".png.tmp");
        try {
            Files.write(tmp, bytes.toByteArray());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return file;
    }

    private static double asinh(double x) {
        return Math.log(x + Math.sqrt(x * x + 1));
    }

    private static Color colour(double u) {
        if (!Double.isFinite(u)) return Color.GRAY;
        double s = Math.max(0, Math.min(1, u)) * (PALETTE.length - 1);
        int k = Math.min((int) s, PALETTE.length - 2);
        double w = s - k;
        Color a = PALETTE[k], b = PALETTE[k + 1];
        return new Color((int) (a.getRed() + w * (b.getRed() - a.getRed())), (int) (a.getGreen() + w * (b.getGreen() - a.getGreen())),
                (int) (a.getBlue() + w * (b.getBlue() - a.getBlue())));
    }

    private static String fmt(double v) {
        return Math.abs(v) < 1e-9 ? "0" : String.format("%.3g", v);
    }
}
