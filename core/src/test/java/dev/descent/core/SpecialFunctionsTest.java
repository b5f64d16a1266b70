package dev.descent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class SpecialFunctionsTest {

    /** Relative tolerance against the high-precision references. */
    private static final double RTOL = 1e-14;

    // x, erf(x), erfc(x): printed by core/src/test/resources/reference/erf_reference.py (450-digit decimal
    // arithmetic, rounded to the nearest double).
    private static final double[][] ERF_POINTS = {
        {0.0, 0.0, 1.0},
        {1e-300, 1.1283791670955126e-300, 1.0},
        {1e-10, 1.1283791670955126e-10, 0.999999999887162},
        {-1e-10, -1.1283791670955126e-10, 1.000000000112838},
        {1e-05, 1.1283791670579e-05, 0.9999887162083294},
        {0.01, 0.011283415555849618, 0.9887165844441503},
        {0.1, 0.1124629160182849, 0.887537083981715},
        {0.25, 0.27632639016823696, 0.7236736098317631},
        {-0.3, -0.3286267594591274, 1.3286267594591274},
        {0.4999, 0.5204119951613866, 0.4795880048386134},
        {0.5, 0.5204998778130465, 0.4795001221869535},
        {-0.5, -0.5204998778130465, 1.5204998778130465},
        {0.5001, 0.5205877516768808, 0.4794122483231193},
        {0.75, 0.7111556336535151, 0.28884436634648486},
        {0.84375, 0.7672256612323416, 0.23277433876765838},
        {1.0, 0.8427007929497149, 0.15729920705028513},
        {-1.0, -0.8427007929497149, 1.8427007929497148},
        {1.25, 0.9229001282564583, 0.07709987174354177},
        {1.4999, 0.9660932516622953, 0.03390674833770473},
        {1.5, 0.9661051464753108, 0.033894853524689274},
        {1.5001, 0.9661170377204175, 0.033882962279582506},
        {2.0, 0.9953222650189527, 0.004677734981047266},
        {-2.0, -0.9953222650189527, 1.9953222650189528},
        {2.5, 0.999593047982555, 0.0004069520174449589},
        {2.9999, 0.9999778955735178, 2.210442648216091e-05},
        {3.0, 0.9999779095030014, 2.209049699858544e-05},
        {-3.0, -0.9999779095030014, 1.9999779095030015},
        {3.0001, 0.9999779234241298, 2.20765758701933e-05},
        {3.5, 0.9999992569016276, 7.430983723414128e-07},
        {4.0, 0.9999999845827421, 1.541725790028002e-08},
        {4.4, 0.999999999510829, 4.891710270605872e-10},
        {5.0, 0.9999999999984626, 1.537459794428035e-12},
        {-5.0, -0.9999999999984626, 1.9999999999984626},
        {6.0, 1.0, 2.1519736712498913e-17},
        {8.0, 1.0, 1.1224297172982926e-29},
        {10.0, 1.0, 2.088487583762545e-45},
        {-10.0, -1.0, 2.0},
        {15.0, 1.0, 7.212994172451207e-100},
        {20.0, 1.0, 5.395865611607901e-176},
        {26.0, 1.0, 5.663192408856143e-296},
        {0.1234567, 0.13860144614891695, 0.861398553851083},
        {1.7320508, 0.9856941211393607, 0.014305878860639267},
        {2.718281828, 0.9998790689595871, 0.00012093104041286164},
    };

    /**
     * {@code |actual - expected| <= RTOL |expected|}. Below the normal range relative accuracy is not meaningful, so
     * subnormal expectations get the absolute tolerance {@code RTOL * MIN_NORMAL} instead.
     */
    private static void assertClose(double expected, double actual, String what) {
        double tolerance = RTOL * Math.max(Math.abs(expected), Double.MIN_NORMAL);
        assertTrue(expected == actual || Math.abs(actual - expected) <= tolerance,
                () -> what + ": expected " + expected + ", got " + actual + " (relative error "
                        + Math.abs(actual - expected) / Math.abs(expected) + ")");
    }

    @Test
    void erfAndErfcMatchHighPrecisionValuesAtNamedPoints() {
        for (double[] row : ERF_POINTS) {
            assertClose(row[1], SpecialFunctions.erf(row[0]), "erf(" + row[0] + ")");
            assertClose(row[2], SpecialFunctions.erfc(row[0]), "erfc(" + row[0] + ")");
        }
    }

    /** Rows x, erf, erfc, normalCdf, normalPdf written by erf_reference.py: x over [-40, 27], tiny x, off-grid x. */
    private static List<double[]> sweep() throws IOException {
        List<double[]> rows = new ArrayList<>();
        InputStream in = SpecialFunctionsTest.class.getResourceAsStream("/reference/normal_reference.csv");
        assertNotNull(in, "normal_reference.csv is not on the test classpath");
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split(",");
                double[] row = new double[fields.length];
                for (int i = 0; i < fields.length; i++) {
                    row[i] = Double.parseDouble(fields[i]);
                }
                rows.add(row);
            }
        }
        assertTrue(rows.size() > 1000, "the sweep has only " + rows.size() + " rows");
        return rows;
    }

    private static void assertSweep(int column, String name, DoubleUnaryOperator f) throws IOException {
        for (double[] row : sweep()) {
            assertClose(row[column], f.applyAsDouble(row[0]), name + "(" + row[0] + ")");
        }
    }

    @Test
    void erfMatchesTheReferenceSweep() throws IOException {
        assertSweep(1, "erf", SpecialFunctions::erf);
    }

    @Test
    void erfcMatchesTheReferenceSweepThroughTheFarTail() throws IOException {
        assertSweep(2, "erfc", SpecialFunctions::erfc);
    }

    @Test
    void normalCdfMatchesTheReferenceSweepThroughTheLowerTail() throws IOException {
        assertSweep(3, "normalCdf", SpecialFunctions::normalCdf);
    }

    @Test
    void normalPdfMatchesTheReferenceSweep() throws IOException {
        assertSweep(4, "normalPdf", SpecialFunctions::normalPdf);
    }

    @Test
    void nanInNanOut() {
        assertTrue(Double.isNaN(SpecialFunctions.erf(Double.NaN)));
        assertTrue(Double.isNaN(SpecialFunctions.erfc(Double.NaN)));
        assertTrue(Double.isNaN(SpecialFunctions.normalCdf(Double.NaN)));
        assertTrue(Double.isNaN(SpecialFunctions.normalPdf(Double.NaN)));
    }

    @Test
    void infinitiesAndHugeArgumentsGiveTheLimits() {
        for (double huge : new double[] {30.0, 1e10, 1e300, Double.MAX_VALUE, Double.POSITIVE_INFINITY}) {
            assertEquals(1.0, SpecialFunctions.erf(huge));
            assertEquals(-1.0, SpecialFunctions.erf(-huge));
            assertEquals(0.0, SpecialFunctions.erfc(huge));
            assertEquals(2.0, SpecialFunctions.erfc(-huge));
        }
        for (double huge : new double[] {40.0, 1e10, 1e300, Double.MAX_VALUE, Double.POSITIVE_INFINITY}) {
            assertEquals(1.0, SpecialFunctions.normalCdf(huge));
            assertEquals(0.0, SpecialFunctions.normalCdf(-huge));
            assertEquals(0.0, SpecialFunctions.normalPdf(huge));
            assertEquals(0.0, SpecialFunctions.normalPdf(-huge));
        }
    }

    @Test
    void zeroAndTinyArguments() {
        assertEquals(-0.0, SpecialFunctions.erf(-0.0)); // assertEquals on doubles tells -0.0 from 0.0
        assertEquals(0.0, SpecialFunctions.erf(0.0));
        assertEquals(1.0, SpecialFunctions.erfc(-0.0));
        assertEquals(0.5, SpecialFunctions.normalCdf(0.0));
        assertEquals(0.3989422804014327, SpecialFunctions.normalPdf(0.0));
        // erf(x) = (2/sqrt(pi)) x for tiny x; at the smallest subnormal that rounds back to one unit.
        assertEquals(Double.MIN_VALUE, SpecialFunctions.erf(Double.MIN_VALUE));
        assertClose(1.1283791670955126 * Double.MIN_NORMAL, SpecialFunctions.erf(Double.MIN_NORMAL), "erf(MIN_NORMAL)");
    }

    @Test
    void tailsFadeMonotonicallyThroughTheSubnormalsToZero() {
        double previousErfc = SpecialFunctions.erfc(26.0);
        double previousCdf = SpecialFunctions.normalCdf(-37.0);
        double previousPdf = SpecialFunctions.normalPdf(37.0);
        for (int i = 1; i <= 200; i++) {
            double erfc = SpecialFunctions.erfc(26.0 + i / 100.0);
            double cdf = SpecialFunctions.normalCdf(-37.0 - i / 50.0);
            double pdf = SpecialFunctions.normalPdf(37.0 + i / 50.0);
            assertTrue(erfc >= 0 && erfc <= previousErfc, "erfc at " + (26.0 + i / 100.0));
            assertTrue(cdf >= 0 && cdf <= previousCdf, "normalCdf at " + (-37.0 - i / 50.0));
            assertTrue(pdf >= 0 && pdf <= previousPdf, "normalPdf at " + (37.0 + i / 50.0));
            previousErfc = erfc;
            previousCdf = cdf;
            previousPdf = pdf;
        }
        assertEquals(0.0, previousErfc);
        assertEquals(0.0, previousCdf);
        assertEquals(0.0, previousPdf);
    }

    @Property(tries = 200)
    void erfIsOddAndTheOthersReflect(@ForAll @DoubleRange(min = -30, max = 30) double x) {
        assertEquals(-SpecialFunctions.erf(x), SpecialFunctions.erf(-x));
        assertEquals(SpecialFunctions.normalPdf(x), SpecialFunctions.normalPdf(-x));
        assertEquals(2.0, SpecialFunctions.erfc(x) + SpecialFunctions.erfc(-x), 4.5e-16);
        assertEquals(1.0, SpecialFunctions.normalCdf(x) + SpecialFunctions.normalCdf(-x), 2.3e-16);
    }

    @Property(tries = 200)
    void erfPlusErfcIsOne(@ForAll @DoubleRange(min = -30, max = 30) double x) {
        assertEquals(1.0, SpecialFunctions.erf(x) + SpecialFunctions.erfc(x), 4.5e-16);
    }

    /**
     * {@code f(x) <= f(nextUp(x))} up to 2 ulp of {@code f(x)}. Near {@code x = 0.5} one ulp of {@code x} moves erf by
     * less than one ulp of the result, so rounding alone can step back by an ulp or two; what must not happen is a
     * larger step, such as a jump where two pieces meet. (Measured worst case: 2 ulp.)
     */
    private static void assertNonDecreasing(DoubleUnaryOperator f, double x, String name) {
        double here = f.applyAsDouble(x);
        double next = f.applyAsDouble(Math.nextUp(x));
        assertTrue(here <= next + 2 * Math.ulp(here),
                () -> name + " steps back from " + here + " to " + next + " at x = " + x);
    }

    private static void assertMonotoneAt(double x) {
        assertNonDecreasing(SpecialFunctions::erf, x, "erf");
        assertNonDecreasing(v -> -SpecialFunctions.erfc(v), x, "-erfc");
        assertNonDecreasing(SpecialFunctions::normalCdf, x, "normalCdf");
    }

    @Property(tries = 1000)
    void monotoneUpToRounding(@ForAll @DoubleRange(min = -8, max = 8) double x) {
        assertMonotoneAt(x);
    }

    @Test
    void monotoneUpToRoundingAcrossThePieceBoundaries() {
        // erf and erfc switch pieces at |x| = 0.5, 1.5, 3 and 6; normalCdf at sqrt 2 times those.
        double sqrt2 = Math.sqrt(2.0);
        for (double boundary : new double[] {0.5, 1.5, 3.0, 6.0}) {
            for (double start : new double[] {boundary, -boundary, boundary * sqrt2, -boundary * sqrt2}) {
                double x = start;
                for (int i = 0; i < 500; i++) {
                    x = Math.nextDown(x);
                }
                for (int i = 0; i < 1000; i++) {
                    assertMonotoneAt(x);
                    x = Math.nextUp(x);
                }
            }
        }
    }

    @Test
    void normalPdfIsTheDerivativeOfNormalCdf() {
        // Central differences with h = 1e-5: truncation error |phi''| h^2 / 6 < 1e-11, rounding error about
        // 1e-16 / h = 1e-11.
        double h = 1e-5;
        for (double x = -6.0; x <= 6.0; x += 0.375) {
            double numerical = (SpecialFunctions.normalCdf(x + h) - SpecialFunctions.normalCdf(x - h)) / (2 * h);
            assertEquals(SpecialFunctions.normalPdf(x), numerical, 5e-11, "at x = " + x);
        }
    }
}
