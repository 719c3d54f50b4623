"""minGRU (Feng et al. 2024, "Were RNNs All We Needed?"): a GRU whose gates do not read h_{t-1}.

    z_t = sigma(W_z x_t + b_z),  h~_t = W_h x_t + b_h,  h_t = (1 - z_t) * h_{t-1} + z_t * h~_t,

a linear recurrence h_t = a_t * h_{t-1} + b_t with a_t = 1 - z_t in (0, 1) and b_t = z_t * h~_t, computed
for all t at once: two products over the whole sequence, then the scan of lab.scan. Note that z is the
gate that writes (Feng et al.'s convention); the course's GRU keeps with its z.

The signed variant takes a_t = 1 - 2 z_t in (-1, 1), the same b_t: z_t = 0 keeps h_{t-1}, z_t = 1/2 forgets
it, z_t = 1 flips its sign. Negative transitions are what lets a linear recurrence track parity (Grazzi et
al. 2024): with z = 1 and h~ = c on a 1 and z = 0 on a 0, h_t is 0 after an even number of ones and c after
an odd number, at every length.

Shapes as in the course: x (N, T, D), h0 (N, H), W_z and W_h (H, D), b_z and b_h (H,). A stack of S
networks adds a leading axis to every array: x (S, N, T, D), h0 (S, N, H), W (S, H, D), b (S, H).
"""

import numpy as np

from lab.functions import sigmoid
from lab.scan import recurrence_backward, recurrence_forward, scan_backward, scan_forward

# The two ways to run the recurrence, forward and backward (lab.scan): the same numbers up to rounding.
RECURRENCES = {"scan": (scan_forward, scan_backward), "loop": (recurrence_forward, recurrence_backward)}


def flat(v, lead):
    """(..., N, T, K) -> (..., N T, K) with the leading axes `lead` kept: one matrix product per network."""
    return v.reshape(*lead, -1, v.shape[-1])


def project(x, W, b):
    """x W^T + b over every step: (N, T, D) with W (H, D), b (H,) -> (N, T, H); stacked with a leading S."""
    lead = W.shape[:-2]
    u = flat(x, lead) @ W.swapaxes(-1, -2) + b[..., None, :]  # (..., N T, H)
    return u.reshape(*x.shape[:-1], W.shape[-2])


def weight_gradients(du, x):
    """Gradients dW (H, D) and db (H,) of project from du (N, T, H), summed over N and T (stacked: leading S)."""
    lead = du.shape[:-3]
    flat_du = flat(du, lead)  # (..., N T, H)
    return flat_du.swapaxes(-1, -2) @ flat(x, lead), flat_du.sum(axis=-2)


def project_backward(du, x, W):
    """Gradients of project: dx (N, T, D), dW (H, D) and db (H,) from du (N, T, H)."""
    dx = (flat(du, W.shape[:-2]) @ W).reshape(x.shape)
    return dx, *weight_gradients(du, x)


def min_gru_forward(x, h0, Wz, bz, Wh, bh, signed=False, method="scan", record=None):
    """Forward pass of a minGRU over a whole sequence, on the parallel scan.

    Inputs:
    - x: input data, of shape (N, T, D)
    - h0: initial state, of shape (N, H)
    - Wz, Wh: weights of the gate and of the candidate, of shape (H, D)
    - bz, bh: their biases, of shape (H,)
    - signed: False for a = 1 - z in (0, 1) (minGRU), True for a = 1 - 2 z in (-1, 1)
    - method: "scan" (lab.scan.scan_forward) or "loop" (lab.scan.recurrence_forward)
    - record: None or a dict, passed to the recurrence (it receives "steps")
    Returns a tuple of:
    - h: states h_1..h_T, of shape (N, T, H)
    - cache: values needed for the backward pass
    """
    z = sigmoid(project(x, Wz, bz))  # (N, T, H)
    candidate = project(x, Wh, bh)  # h~, (N, T, H)
    a = 1 - 2 * z if signed else 1 - z
    h, recurrence_cache = RECURRENCES[method][0](a, z * candidate, h0, record)
    return h, (x, Wz, Wh, z, candidate, signed, method, recurrence_cache)


def min_gru_gate_backward(dh, cache):
    """The first half of min_gru_backward: the gradients of the pre-activations and of h0.

    Returns a tuple of:
    - du_z: dL/d(W_z x_t + b_z), of shape (N, T, H)
    - du_h: dL/dh~_t, of shape (N, T, H)
    - dh0: of shape (N, H)
    """
    x, Wz, Wh, z, candidate, signed, method, recurrence_cache = cache
    da, db, dh0 = RECURRENCES[method][1](dh, recurrence_cache)
    dz = (-2 if signed else -1) * da + db * candidate
    return dz * z * (1 - z), db * z, dh0


def min_gru_backward(dh, cache):
    """Backward pass of min_gru_forward.

    Inputs:
    - dh: upstream gradient of every state, of shape (N, T, H)
    - cache: from min_gru_forward
    Returns a tuple of:
    - dx: (N, T, D); dh0: (N, H); dWz: (H, D); dbz: (H,); dWh: (H, D); dbh: (H,)
    """
    x, Wz, Wh = cache[:3]
    du_z, du_h, dh0 = min_gru_gate_backward(dh, cache)
    dx_z, dWz, dbz = project_backward(du_z, x, Wz)
    dx_h, dWh, dbh = project_backward(du_h, x, Wh)
    return dx_z + dx_h, dh0, dWz, dbz, dWh, dbh


def min_gru_params(D, H, C):
    """The parameters of a many-to-one minGRU network: W_z, W_h (H, D), b_z, b_h (H,), and w'' (C, H), b'' (C,)."""
    return 2 * H * (D + 1) + C * (H + 1)


def matched_width(D, C, target):
    """The width H in 1..4095 whose minGRU network has the parameter count closest to `target` (an int)."""
    return min(range(1, 4096), key=lambda H: abs(min_gru_params(D, H, C) - target))


def new_min_grus(rng, S, D, H, C, write_bias=0.0, output_bias=0.0, dtype=np.float32):
    """S minGRU networks as a stack of lab.networks' layout with the parts z, h~ on axis 1 and no w'.

    w (S, 2, H, D) has entries N(0, 1), as the other cells' w; w'' (S, C, H) entries N(0, 1/H); the biases
    are zero except b_z = write_bias (a number or (S, H); chrono: -ln u, so that a = 1 - z starts near 1)
    and b''.
    Returns a dict with w (S, 2, H, D), b (S, 2, 1, H), w_2prime (S, C, H), b_2prime (S, 1, C).
    """
    p = {
        "w": rng.standard_normal((S, 2, H, D)),
        "b": np.zeros((S, 2, 1, H)),
        "w_2prime": rng.standard_normal((S, C, H)) / np.sqrt(H),
        "b_2prime": np.full((S, 1, C), output_bias),
    }
    p["b"][:, 0, 0] = write_bias
    return {name: a.astype(dtype) for name, a in p.items()}


# The experiments' passes run the loop: with tens of thousands of state entries per step (S N H) it is several
# times faster than the scan in numpy on a CPU (benchmarks/scan_speed.py), and the numbers are the same.
PASS_METHOD = "loop"


def min_gru_pass(p, xs, output, record=None, state=None, signed=False):
    """S minGRUs in the interface of lab.passes (which see): forward, the loss's `output`, and the backward pass.

    No gradient flows into `state`; record, if a dict, receives "state" (S, N, H), the last state.
    Returns the gradients of w (S, 2, H, D) and b (S, 2, 1, H) added to the output layer's.
    """
    S, T, N, _ = xs.shape
    H = p["w"].shape[2]
    x = xs.transpose(0, 2, 1, 3)  # (S, N, T, D)
    h0 = np.zeros((S, N, H), xs.dtype) if state is None else state
    w, b = p["w"], p["b"][:, :, 0]
    h, cache = min_gru_forward(x, h0, w[:, 0], b[:, 0], w[:, 1], b[:, 1], signed, PASS_METHOD)
    if record is not None:
        record["state"] = h[..., -1, :].copy()
    direct, grads = output(h.transpose(2, 0, 1, 3))  # time-major (T, S, N, H)
    if direct is None:
        return grads
    if direct.ndim == 4:
        dh = direct.transpose(1, 2, 0, 3)
    else:
        dh = np.zeros_like(h)
        dh[..., -1, :] = direct
    du_z, du_h, _ = min_gru_gate_backward(dh, cache)
    parts = [weight_gradients(du, x) for du in (du_z, du_h)]  # (dW, db) of z and of h~
    grads["w"] = np.stack([dW for dW, _ in parts], axis=1)
    grads["b"] = np.stack([db for _, db in parts], axis=1)[:, :, None]
    return grads


def signed_min_gru_pass(p, xs, output, record=None, state=None):
    """min_gru_pass with a = 1 - 2 z in (-1, 1)."""
    return min_gru_pass(p, xs, output, record, state, signed=True)
