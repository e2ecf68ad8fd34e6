"""Two stronger simple forecasters for the selector: spatial empirical Bayes and a self-exciting
point process. Same contract as models/baselines.py: ``f(past, t) -> expected counts``.

References:
    Marshall, R. J. (1991). Mapping disease and mortality rates using empirical Bayes estimators.
    Applied Statistics 40(2), 283-294 (local empirical Bayes: shrink a unit's rate toward its
    neighbourhood's mean by how noisy it is).
    Mohler, G. O., Short, M. B., Brantingham, P. J., Schoenberg, F. P. & Tita, G. E. (2011).
    Self-exciting point process modeling of crime. JASA 106(493), 100-108 (background rate plus
    triggered events near recent ones; fitted here by EM on period counts).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from models.backtest import Forecaster

__all__ = ["decayed_rate", "empirical_bayes_forecaster", "local_empirical_bayes", "sepp_forecaster"]


def decayed_rate(past: np.ndarray, half_life: float) -> tuple[np.ndarray, float]:
    """Events per period of each unit with exponential decay (half-life in periods), and the
    decayed exposure (the effective number of periods behind each rate)."""
    ages = np.arange(past.shape[0])[::-1]
    weights = 0.5 ** (ages / half_life)
    return weights @ past.astype(np.float64) / weights.sum(), float(weights.sum())


def local_empirical_bayes(rate: np.ndarray, exposure: float, kernel: sp.spmatrix) -> np.ndarray:
    """Marshall's local empirical Bayes rates: each rate shrunk toward the kernel-weighted mean of
    its neighbourhood by the share of its variance that Poisson noise explains."""
    weights = sp.csr_matrix(kernel, dtype=np.float64)
    sums = np.asarray(weights.sum(axis=1)).ravel()
    weights = sp.diags(np.divide(1.0, sums, out=np.zeros_like(sums), where=sums > 0)) @ weights
    mean = weights @ rate
    spread = np.maximum(weights @ rate**2 - mean**2 - mean / exposure, 0.0)
    noise = mean / exposure
    keep = np.divide(spread, spread + noise, out=np.zeros_like(spread), where=spread + noise > 0)
    return mean + keep * (rate - mean)


def empirical_bayes_forecaster(kernel: sp.spmatrix, half_life: float) -> Forecaster:
    """Decayed past rates smoothed by local empirical Bayes over ``kernel`` (self included)."""
    kernel = sp.csr_matrix(kernel)

    def forecast(past: np.ndarray, t: int) -> np.ndarray:
        rate, exposure = decayed_rate(past, half_life)
        return local_empirical_bayes(rate, exposure, kernel)

    return forecast


def _excitation(past: np.ndarray, decay: float, kernel: sp.csr_matrix) -> np.ndarray:
    """x[s] = Σ_{r<s} decay^(s-1-r) · (kernel @ counts[r]) for s = 0..T (row T: the next period)."""
    spread = (kernel @ past.T.astype(np.float64)).T
    out = np.zeros((past.shape[0] + 1, past.shape[1]))
    for s in range(1, out.shape[0]):
        out[s] = decay * out[s - 1] + spread[s - 1]
    return out


def _fit_hawkes(
    y: np.ndarray, x: np.ndarray, background: np.ndarray, iterations: int = 30
) -> tuple[np.ndarray, float, float]:
    """EM for λ[s, u] = μ[u] + θ·x[s, u] on counts y: returns μ, θ and the log-likelihood."""
    mu = np.maximum(background, 1e-9)
    total_x = x.sum()
    theta = 0.0 if total_x <= 0 else 0.1 * y.sum() / total_x
    for _ in range(iterations):
        lam = mu + theta * x
        share = np.divide(y, lam, out=np.zeros_like(y), where=y > 0)
        mu = np.maximum(mu * share.mean(axis=0), 1e-9)
        theta = 0.0 if total_x <= 0 else float(theta * (share * x).sum() / total_x)
    lam = mu + theta * x
    log_lik = float((y * np.log(lam)).sum() - lam.sum())
    return mu, theta, log_lik


def sepp_forecaster(
    kernel: sp.spmatrix,
    *,
    decays: tuple[float, ...] = (0.3, 0.6, 0.85),
    fit_periods: int = 104,
    refit_every: int = 13,
) -> Forecaster:
    """Self-exciting forecaster: per-unit background plus triggering that decays by ``decay``
    each period and spreads over ``kernel``; background, strength and the decay (one of
    ``decays``, best likelihood) are refitted by EM on the last ``fit_periods`` periods."""
    kernel = sp.csr_matrix(kernel, dtype=np.float64)
    state: dict[str, object] = {}

    def fit(past: np.ndarray) -> None:
        recent = past[-fit_periods:].astype(np.float64)
        background = recent.mean(axis=0)
        best = None
        for decay in decays:
            x = _excitation(past, decay, kernel)[-recent.shape[0] - 1 : -1]
            mu, theta, log_lik = _fit_hawkes(recent, x, background)
            if best is None or log_lik > best[3]:
                best = (decay, mu, theta, log_lik)
        assert best is not None
        state.update(decay=best[0], mu=best[1], theta=best[2], fitted_at=past.shape[0])

    def forecast(past: np.ndarray, t: int) -> np.ndarray:
        fitted_at = state.get("fitted_at")
        if fitted_at is None or not 0 <= t - int(fitted_at) < refit_every:  # type: ignore[arg-type]
            fit(past)
        decay = float(state["decay"])  # type: ignore[arg-type]
        horizon = min(past.shape[0], 60)
        weights = decay ** np.arange(horizon)[::-1]
        triggered = kernel @ (weights @ past[-horizon:].astype(np.float64))
        return state["mu"] + float(state["theta"]) * triggered  # type: ignore[operator]

    return forecast
