package dev.descent.core;
// TEMPORARY stub
public final class Rng {
    private final java.util.Random r;
    public Rng(long seed) { r = new java.util.Random(seed); }
    public int nextInt(int b) { return r.nextInt(b); }
    public int[] permutation(int n) { int[] p = new int[n]; for (int i = 0; i < n; i++) p[i] = i; for (int i = n - 1; i > 0; i--) { int j = r.nextInt(i + 1); int t = p[i]; p[i] = p[j]; p[j] = t; } return p; }
    public double nextDouble() { return r.nextDouble(); }
    public double nextGaussian() { return r.nextGaussian(); }
    public void fillUniform(double[] o, double lo, double hi) { for (int i = 0; i < o.length; i++) o[i] = lo + (hi - lo) * r.nextDouble(); }
    public void fillNormal(double[] o, double m, double s) { for (int i = 0; i < o.length; i++) o[i] = m + s * r.nextGaussian(); }
}
