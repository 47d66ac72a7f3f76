"""The NumPy side of bench/DelaySim.Bench/DefaultWorkBenchmarks.cs: the default scenario's two largest pieces of
arithmetic, one seed's worth each, timed best of --repeat (milliseconds).

* draw rows: 4,064 x 128 standard normals (NumPy's ziggurat) scaled by sqrt(lambda_j), and their labels;
* evaluate: the mean loss 1/2 (x'w - y)^2 over those rows for 11 checkpoints, as one BLAS product X @ W and as
  default_scenario.py does it (one einsum per checkpoint).
Run with one thread:  OPENBLAS_NUM_THREADS=1 python3 bench/numpy/components.py
"""
import argparse
import time
import numpy as np

ARGS = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ARGS.add_argument("--repeat", type=int, default=30)
REPEAT = ARGS.parse_args().repeat
ROWS, D, CHECKPOINTS, NOISE = 4064, 128, 11, 0.5


def best_ms(work):
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return 1e3 * min(times)


def main():
    rng = np.random.default_rng(1)
    lam = np.arange(1, D + 1, dtype=float) ** -1.0
    w_star = rng.standard_normal(D) / np.sqrt(D)

    def draw():
        x = rng.standard_normal((ROWS, D)) * np.sqrt(lam)
        return x, x @ w_star + NOISE * rng.standard_normal(ROWS)

    x, y = draw()
    w = rng.standard_normal((D, CHECKPOINTS)) / 16
    blas = lambda: 0.5 * np.mean((x @ w - y[:, None]) ** 2, axis=0)
    einsum = lambda: [0.5 * np.mean((np.einsum("nd,d->n", x, w[:, c]) - y) ** 2) for c in range(CHECKPOINTS)]
    print(f"draw rows ({ROWS} x {D}): {best_ms(draw):.2f} ms")
    print(f"evaluate {CHECKPOINTS} checkpoints, X @ W: {best_ms(blas):.2f} ms")
    print(f"evaluate {CHECKPOINTS} checkpoints, one einsum each: {best_ms(einsum):.2f} ms")


if __name__ == "__main__":
    main()
