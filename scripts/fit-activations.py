#!/usr/bin/python3
"""The coefficients of tanh4 and sigmoid4 in core/kernels/kernels_wasm_simd.cpp, and their error.

Both activations are odd around their centre, so the SIMD kernels compute

    tanh(x)    ≈ x·P(x²)/Q(x²)          x clamped to ±7.90531 (tanh rounds to ±1 in float32 beyond)
    σ(x) − ½   ≈ x·P'(x²)/Q'(x²)        x clamped to ±2·7.90531; σ(x) − ½ = tanh(x/2)/2

with P of degree 3 and Q of degree 4 whose leading coefficient is 1 (one multiply fewer). Eigen's
float tanh, which the kernels used before, has P of degree 6 and Q of degree 3: five operations more
per call, for an accuracy well below the 1e-6 our kernels promise.

The fit: tanh(x)/x as P(y)/Q(y) in y = x², with P(0) = Q(0) = 1 so that tanh(x) = x near 0, by
linearised least squares (Sanathanan–Koerner: residual P − R·Q weighted by x/Q of the last
iteration, which makes it the absolute error of tanh) with Lawson's reweighting towards the minimax
error, in float64. The σ coefficients follow exactly (x/2 and the halving folded in). Then every
coefficient is rounded to float32 and both functions are evaluated in float32, in the kernels' order
of operations, over every 1e-4 of [-20, 20] and at ±inf.

Usage: /usr/bin/python3 scripts/fit-activations.py     (Debian's python3-torch, for float64 and
float32 tensor arithmetic; only needed to re-derive the constants, never to build or test)
"""
import torch

torch.set_default_dtype(torch.float64)

LIMIT = 7.90531110763549805
P_DEGREE, Q_DEGREE = 3, 4


def fit(iterations=80):
    """Coefficients p0…p3, q0…q4 of tanh(x)/x ≈ P(x²)/Q(x²), p0 = q0 = 1, in float64."""
    x = torch.linspace(1e-4, LIMIT, 40001)
    y = x * x
    ratio = torch.tanh(x) / x
    q_last = torch.ones_like(y)
    weight = torch.ones_like(y)
    best = None
    for iteration in range(iterations):
        # (P − 1) − R·(Q − 1) = R − 1, unknowns p1…p3, q1…q4.
        columns = [y**k for k in range(1, P_DEGREE + 1)] + [-ratio * y**k for k in range(1, Q_DEGREE + 1)]
        scale = (x / q_last) * weight.sqrt()
        a = torch.stack(columns, 1) * scale[:, None]
        b = ((ratio - 1) * scale)[:, None]
        solution = torch.linalg.lstsq(a, b).solution[:, 0]
        p = torch.cat([torch.ones(1), solution[:P_DEGREE]])
        q = torch.cat([torch.ones(1), solution[P_DEGREE:]])
        p_y = sum(p[k] * y**k for k in range(P_DEGREE + 1))
        q_y = sum(q[k] * y**k for k in range(Q_DEGREE + 1))
        error = (x * (p_y / q_y - ratio)).abs()
        if best is None or error.max() < best[0]:
            best = (error.max().item(), p.tolist(), q.tolist())
        q_last = q_y
        if iteration > 5:  # Lawson: weight the points where the error is largest
            weight = weight * (error / error.max()).clamp_min(1e-12)
            weight = weight / weight.mean()
    return best


def monic(p, q):
    """P and Q divided by Q's leading coefficient: Q's leading 1 is then implicit."""
    lead = q[-1]
    return [c / lead for c in p], [c / lead for c in q[:-1]]


def f32(values):
    return [float(torch.tensor(v, dtype=torch.float32)) for v in values]


def odd_rational(x, limit, p, q):
    """The kernel's odd_rational in float32, operation for operation."""
    c = lambda v: torch.tensor(v, dtype=torch.float32)
    x = torch.minimum(torch.maximum(x.float(), c(-limit)), c(limit))
    y = x * x
    p_y = y * c(p[3]) + c(p[2])
    p_y = y * p_y + c(p[1])
    p_y = y * p_y + c(p[0])
    q_y = y + c(q[3])
    q_y = y * q_y + c(q[2])
    q_y = y * q_y + c(q[1])
    q_y = y * q_y + c(q[0])
    return (x * p_y) / q_y


def main():
    fit_error, p, q = fit()
    tanh_p, tanh_q = monic(p, q)
    # σ(x) − ½ = tanh(x/2)/2 = (x/2)·P(x²/4)/(2·Q(x²/4)): the k-th coefficients divided by 4^k,
    # P's by 4 more.
    sig_p, sig_q = monic([c / 4**k / 4 for k, c in enumerate(p)], [c / 4**k for k, c in enumerate(q)])
    tanh_p, tanh_q, sig_p, sig_q = f32(tanh_p), f32(tanh_q), f32(sig_p), f32(sig_q)
    limit = float(torch.tensor(LIMIT, dtype=torch.float32))

    x = torch.arange(-200000, 200001) * 1e-4
    tanh_error = (odd_rational(x, limit, tanh_p, tanh_q).double() - torch.tanh(x)).abs().max().item()
    sig = odd_rational(x, 2 * limit, sig_p, sig_q) + torch.tensor(0.5, dtype=torch.float32)
    sig_error = (sig.double() - torch.sigmoid(x)).abs().max().item()
    inf = torch.tensor([float('inf')])
    print(f"float64 fit of tanh: max error {fit_error:.2e}")
    print(f"float32 tanh4:    max |error| {tanh_error:.2e} over [-20, 20] step 1e-4; "
          f"tanh4(inf) = {odd_rational(inf, limit, tanh_p, tanh_q).item():.9f}")
    print(f"float32 sigmoid4: max |error| {sig_error:.2e} over [-20, 20] step 1e-4; "
          f"sigmoid4(inf) = {(odd_rational(inf, 2 * limit, sig_p, sig_q) + 0.5).item():.9f}")
    literal = lambda values: ', '.join(f'{v:.9e}f' for v in values)
    print(f"kTanh:             p {{{literal(tanh_p)}}}\n                   q {{{literal(tanh_q)}}}")
    print(f"kSigmoidMinusHalf: p {{{literal(sig_p)}}}\n                   q {{{literal(sig_q)}}}")


if __name__ == '__main__':
    main()
