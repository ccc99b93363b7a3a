package io.fabrictelemetry.metrics.dashboard;

/**
 * The viridis colour map the page promises, written out independently of the page's code: ten
 * stops of matplotlib's table, linearly interpolated. Tests compare painted pixels against it.
 */
final class Viridis {

    private static final int[][] STOPS = {
        {0x44, 0x01, 0x54}, {0x48, 0x28, 0x78}, {0x3e, 0x4a, 0x89}, {0x31, 0x68, 0x8e}, {0x26, 0x82, 0x8e},
        {0x1f, 0x9e, 0x89}, {0x35, 0xb7, 0x79}, {0x6d, 0xcd, 0x59}, {0xb4, 0xde, 0x2c}, {0xfd, 0xe7, 0x25},
    };

    private Viridis() {
    }

    static int[] colour(double t) {
        double x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
        int i = Math.min(STOPS.length - 2, (int) Math.floor(x));
        double f = x - i;
        int[] rgb = new int[3];
        for (int k = 0; k < 3; k++) {
            rgb[k] = (int) Math.round(STOPS[i][k] + (STOPS[i + 1][k] - STOPS[i][k]) * f);
        }
        return rgb;
    }
}
