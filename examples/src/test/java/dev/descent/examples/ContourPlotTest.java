package dev.descent.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContourPlotTest {
    @Test
    void drawsTheLandscapeAndThePath(@TempDir Path dir) throws Exception {
        ContourPlot.Path2D path = new ContourPlot.Path2D("path", new double[] {-1, 0, 1}, new double[] {-1, 0, 1});
        Path png = ContourPlot.save(dir, "bowl", "x² + y²", (x, y) -> x * x + y * y, -2, 2, -2, 2, List.of(path));
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(820, img.getWidth());
        // the centre of the bowl (the minimum) is darker than a corner (high values)
        int centre = img.getRGB(70 + 280, 40 + 275), corner = img.getRGB(75, 45);
        assertTrue(brightness(centre) < brightness(corner), "minimum drawn dark, walls bright");
        assertEquals(0, dir.toFile().list((d, n) -> n.endsWith(".tmp")).length, "no temporary file left");
    }

    private static int brightness(int rgb) {
        return ((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255);
    }
}
