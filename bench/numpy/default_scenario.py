"""The default scenario's work written as a researcher would in NumPy: every seed and twin of a cell as one batch.

Least squares, n = 64, d = 128, n_test = 4000, T = 1000 steps of batch 1, fixed delays tau in {0,1,2,4,8,16,32},
20 seeds x (1 + 8 coupled twins), train and test loss of trajectory 0 every 100 steps, loss-form stability at the
end. Same arithmetic as `delaysim run --engine direct` on scenarios/default.hocon (not the same random numbers).
Run with one thread:  OPENBLAS_NUM_THREADS=1 python3 bench/numpy/default_scenario.py
The options change one factor as `delaysim run --set` would (bench/scaling.sh runs both): --iterations 2000,
--seeds 40, --twins 16, --taus 0,1,2,3, --dimension 256, --n 128.
"""
import argparse
import time
import numpy as np

ARGS = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ARGS.add_argument("--iterations", type=int, default=1000)
ARGS.add_argument("--seeds", type=int, default=20)
ARGS.add_argument("--twins", type=int, default=8)
ARGS.add_argument("--taus", default="0,1,2,4,8,16,32")
ARGS.add_argument("--dimension", type=int, default=128)
ARGS.add_argument("--n", type=int, default=64)
OPTIONS = ARGS.parse_args()
N, D, N_TEST, T, SEEDS, TWINS = OPTIONS.n, OPTIONS.dimension, 4000, OPTIONS.iterations, OPTIONS.seeds, OPTIONS.twins
EVERY, ETA, NOISE = 100, 0.03, 0.5
TAUS = [int(tau) for tau in OPTIONS.taus.split(",")]


def draw_data(rng, lam, w_star):
    """Each seed's train and test sets and its twins' replacement examples, drawn once: common random numbers make
    them the same in every cell."""
    x = rng.standard_normal((SEEDS, N + N_TEST, D)) * np.sqrt(lam)
    y = x @ w_star + NOISE * rng.standard_normal((SEEDS, N + N_TEST))
    # Twin k replaces training example k with a fresh draw; trajectory 0 is the original set.
    xr = rng.standard_normal((SEEDS, TWINS, D)) * np.sqrt(lam)
    yr = np.einsum("skd,d->sk", xr, w_star) + NOISE * rng.standard_normal((SEEDS, TWINS))
    return x[:, :N], y[:, :N], x[:, N:], y[:, N:], xr, yr


def run_cell(tau, rng, data):
    xtr, ytr, xte, yte, xr, yr = data
    w = np.zeros((SEEDS, 1 + TWINS, D))
    history = np.zeros((tau + 1, SEEDS, 1 + TWINS, D))
    seeds = np.arange(SEEDS)
    losses = []
    for t in range(T):
        history[t % (tau + 1)] = w
        stale = history[(t - min(t, tau)) % (tau + 1)]
        i = rng.integers(0, N, SEEDS)  # one sample per seed, shared by its twins (coupled)
        xi, yi = xtr[seeds, i], ytr[seeds, i]
        residual = np.einsum("sd,skd->sk", xi, stale) - yi[:, None]
        step = residual[..., None] * xi[:, None, :]
        hit = np.nonzero(i < TWINS)[0]  # seeds whose sample is the one their twin i replaced
        if hit.size:
            k = i[hit]
            r = np.einsum("hd,hd->h", xr[hit, k], stale[hit, 1 + k]) - yr[hit, k]
            step[hit, 1 + k] = r[:, None] * xr[hit, k]
        w = w - ETA * step
        if (t + 1) % EVERY == 0 or t == 0:
            w0 = w[:, 0]
            losses.append((0.5 * np.mean((np.einsum("snd,sd->sn", xtr, w0) - ytr) ** 2),
                           0.5 * np.mean((np.einsum("snd,sd->sn", xte, w0) - yte) ** 2)))
    # Loss-form stability as DelaySim defines it: the mean over seeds and twins of f(w^(k); z_k) - f(w; z_k), with z_k
    # the training example twin k replaced (never seen by twin k).
    x_out, y_out = xtr[:, :TWINS], ytr[:, :TWINS]
    twin_loss = 0.5 * (np.einsum("skd,skd->sk", x_out, w[:, 1:]) - y_out) ** 2
    main_loss = 0.5 * (np.einsum("skd,sd->sk", x_out, w[:, 0]) - y_out) ** 2
    stability = np.mean(twin_loss - main_loss) if TWINS > 0 else float("nan")
    return losses[-1], stability


def main():
    rng = np.random.default_rng(1)
    lam = np.arange(1, D + 1, dtype=float) ** -1.0
    w_star = rng.standard_normal(D) / np.sqrt(D)
    start = time.perf_counter()
    data = draw_data(rng, lam, w_star)
    for tau in TAUS:
        (train, test), stability = run_cell(tau, rng, data)
        print(f"tau={tau:2d} train={train:.4f} test={test:.4f} gap={test - train:+.4f} stability={stability:.2e}")
    print(f"compute {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
