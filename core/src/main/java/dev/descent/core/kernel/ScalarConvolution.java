package dev.descent.core.kernel;

/**
 * The reference 2-D convolution: the definition as a direct loop over every output element and every tap, no
 * rearrangement, no matrix product. It is the specification that the im2col path of the convolution ops is tested
 * against, and is not used by the library itself.
 */
public final class ScalarConvolution {
    private ScalarConvolution() {
    }

    /**
     * {@code out[b][o][oy][ox] = sum over c, i, j of w[o][c][i][j] * x[b][gC + c][oy sH - pH + i dH][ox sW - pW + j dW]}
     * (zero outside the image), where {@code gC} is the first input channel of output channel o's group; {@code x} is
     * {@code [n, channels, height, width]}, {@code w} is {@code [outChannels, channels / groups, kernelH, kernelW]} and
     * {@code out} (overwritten) is {@code [n, outChannels, outH, outW]}, all row-major.
     */
    public static void conv2d(ConvGeometry g, double[] x, double[] w, double[] out) {
        int cg = g.groupChannels(), og = g.groupOutChannels();
        int kh = g.kernelH(), kw = g.kernelW();
        for (int b = 0; b < g.n(); b++) {
            for (int o = 0; o < g.outChannels(); o++) {
                int first = (o / og) * cg;
                for (int oy = 0; oy < g.outH(); oy++) {
                    for (int ox = 0; ox < g.outW(); ox++) {
                        double s = 0;
                        for (int c = 0; c < cg; c++) {
                            for (int i = 0; i < kh; i++) {
                                int iy = oy * g.strideH() - g.padH() + i * g.dilationH();
                                if (iy < 0 || iy >= g.height()) continue;
                                for (int j = 0; j < kw; j++) {
                                    int ix = ox * g.strideW() - g.padW() + j * g.dilationW();
                                    if (ix < 0 || ix >= g.width()) continue;
                                    s += w[((o * cg + c) * kh + i) * kw + j]
                                            * x[((b * g.channels() + first + c) * g.height() + iy) * g.width() + ix];
                                }
                            }
                        }
                        out[((b * g.outChannels() + o) * g.outH() + oy) * g.outW() + ox] = s;
                    }
                }
            }
        }
    }
}
