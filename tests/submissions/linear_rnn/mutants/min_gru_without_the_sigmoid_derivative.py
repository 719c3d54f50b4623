"""The gate's gradient skips the sigmoid: du_z = dz, without the factor z * (1 - z)."""

FAILS = {"min_gru_backward"}
SAYS = {
    "min_gru_backward": ["is wrong", "du_z = dz * z * (1 - z)"],
}


def min_gru_backward(dh, cache):
    x, Wz, Wh, z, candidate, scan_cache = cache
    da, db, dh0 = parallel_scan_backward(dh, scan_cache)
    du_z = -da + db * candidate
    du_h = db * z
    D, H = x.shape[2], z.shape[2]
    dx = du_z @ Wz + du_h @ Wh
    dWz = du_z.reshape(-1, H).T @ x.reshape(-1, D)
    dWh = du_h.reshape(-1, H).T @ x.reshape(-1, D)
    return dx, dh0, dWz, du_z.sum(axis=(0, 1)), dWh, du_h.sum(axis=(0, 1))
