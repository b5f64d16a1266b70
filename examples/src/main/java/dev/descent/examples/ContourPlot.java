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
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        int levels = 18;
        for (int j = 0; j < ph; j++) {
            for (int i = 0; i < pw; i++) {
                double u = (t[j][i] - lo) / Math.max(hi - lo, 1e-300);
                int level = (int) Math.floor(u * levels);
                boolean edge = (i + 1 < pw && level != (int) Math.floor((t[j][i + 1] - lo) / Math.max(hi - lo, 1e-300) * levels))
                        || (j + 1 < ph && level != (int) Math.floor((t[j + 1][i] - lo) / Math.max(hi - lo, 1e-300) * levels));
                Color c = colour(u);
                if (edge) c = c.darker().darker();
                img.setRGB(LEFT + i, TOP + j, c.getRGB());
            }
        }
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
        for (int p = 0; p < paths.size(); p++) {
            Path2D path = paths.get(p);
            g.setColor(LINES[p % LINES.length]);
            g.setStroke(new BasicStroke(2f));
            int prevX = 0, prevY = 0;
            for (int k = 0; k < path.xs().length; k++) {
                if (!Double.isFinite(path.xs()[k]) || !Double.isFinite(path.ys()[k])) break;
                int px = LEFT + (int) Math.round((path.xs()[k] - x0) / (x1 - x0) * pw);
                int py = TOP + ph - (int) Math.round((path.ys()[k] - y0) / (y1 - y0) * ph);
                if (k == 0) g.fillOval(px - 5, py - 5, 10, 10);
                else g.drawLine(prevX, prevY, px, py);
                prevX = px;
                prevY = py;
            }
            g.fillRect(prevX - 4, prevY - 4, 8, 8);
        }
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
