"""The default scenario's work written as a researcher would in NumPy: every seed and twin of a cell as one batch.

Least squares, n = 64, d = 128, n_test = 4000, T = 1000 steps of batch 1, fixed delays tau in {0,1,2,4,8,16,32},
20 seeds x (1 + 8 coupled twins), train and test loss of trajectory 0 every 100 steps, loss-form stability at the
end. Same arithmetic as `delaysim run --engine direct` on scenarios/default.hocon (not the same random numbers).
Run with one thread:  OPENBLAS_NUM_THREADS=1 python3 bench/numpy/default_scenario.py
"""
import time
import numpy as np

N, D, N_TEST, T, SEEDS, TWINS, EVERY, ETA, NOISE = 64, 128, 4000, 1000, 20, 8, 100, 0.03, 0.5
TAUS = [0, 1, 2, 4, 8, 16, 32]


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
    test_loss = 0.5 * (np.einsum("snd,skd->skn", xte, w) - yte[:, None, :]) ** 2
    stability = np.mean(np.abs(test_loss[:, 1:] - test_loss[:, :1]))
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
