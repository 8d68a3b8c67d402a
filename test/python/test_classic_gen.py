"""logistic-regression-numpy, linear-regression-numpy, gan-losses-torch, ddim-step-torch vs their peers.

Peers: scikit-learn (LogisticRegression, LinearRegression, Ridge), torch autograd and
F.binary_cross_entropy_with_logits, and, where no library is installed (diffusers), the defining
formulas of Song et al. (2021) / Ho et al. (2020) computed independently in float64.
"""
import math
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy.special import expit
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge

from conftest import load_snippet, record

logreg = load_snippet("logistic-regression-numpy")
linreg = load_snippet("linear-regression-numpy")
gan = load_snippet("gan-losses-torch")
ddim = load_snippet("ddim-step-torch")

# ---------------------------------------------------------------- logistic regression

def logistic_data(seed, n=300, d=4):
    # Labels drawn from the model itself with moderate weights: overlapping classes, so the
    # unpenalised optimum exists (no separation).
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    w = rng.normal(size=d)
    y = (rng.random(n) < expit(X @ w + 0.5)).astype(float)
    return X, y


def test_sigmoid_matches_expit_without_overflow():
    z = np.concatenate([np.linspace(-50, 50, 1001), [-1000.0, -745.0, -709.0, 0.0, 709.0, 1000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # an overflow in exp would raise here
        got = logreg.sigmoid(z)
    # float64 vs float64, same formula up to rounding: relative 1e-15, absolute near the tails
    np.testing.assert_allclose(got, expit(z), rtol=1e-14, atol=1e-300)   # atol: subnormals at z = -745
    record("sigmoid vs scipy expit", np.abs(got - expit(z)).max())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bce_matches_torch_bce_with_logits_including_extreme_logits(seed):
    rng = np.random.default_rng(seed)
    z = np.concatenate([rng.normal(0, 5, 200), [800.0, -800.0, 40.0, -40.0]])
    y = np.concatenate([rng.random(200), [0.0, 1.0, 0.0, 1.0]])   # soft labels allowed
    want = F.binary_cross_entropy_with_logits(torch.from_numpy(z), torch.from_numpy(y)).item()
    got = logreg.bce_with_logits(z, y)
    assert got == pytest.approx(want, rel=1e-12)
    record("BCE vs F.binary_cross_entropy_with_logits", abs(got - want))
    assert logreg.bce_with_logits(np.array([800.0]), np.array([0.0])) == 800.0


@pytest.mark.parametrize("seed,l2", [(0, 0.0), (1, 0.1), (2, 1.5)])
def test_gradient_matches_finite_differences_and_autograd(seed, l2):
    X, y = logistic_data(seed, n=50, d=3)
    rng = np.random.default_rng(seed + 10)
    w, b = rng.normal(size=3), 0.3
    loss, gw, gb = logreg.loss_and_grad(w, b, X, y, l2)

    # autograd on the library loss (float64): agreement to rounding, ~1e-15
    wt = torch.tensor(w, requires_grad=True)
    bt = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    lt = F.binary_cross_entropy_with_logits(torch.from_numpy(X) @ wt + bt, torch.from_numpy(y)) + 0.5 * l2 * (wt @ wt)
    lt.backward()
    assert loss == pytest.approx(lt.item(), rel=1e-12)
    np.testing.assert_allclose(gw, wt.grad.numpy(), rtol=1e-10, atol=1e-13)
    assert gb == pytest.approx(bt.grad.item(), abs=1e-13)
    record("logistic grad vs torch autograd", max(np.abs(gw - wt.grad.numpy()).max(), abs(gb - bt.grad.item())))

    # central differences: truncation O(h^2) ~1e-10 plus rounding eps/h ~1e-10 at h = 1e-6
    h = 1e-6
    theta = np.append(w, b)
    fd = np.empty(4)
    for j in range(4):
        up, down = theta.copy(), theta.copy()
        up[j] += h
        down[j] -= h
        fd[j] = (logreg.loss_and_grad(up[:3], up[3], X, y, l2)[0] - logreg.loss_and_grad(down[:3], down[3], X, y, l2)[0]) / (2 * h)
    np.testing.assert_allclose(np.append(gw, gb), fd, atol=1e-8)
    record("logistic grad vs finite differences", np.abs(np.append(gw, gb) - fd).max())


def sklearn_logreg(X, y, C=None):
    kwargs = dict(penalty=None) if C is None else dict(C=C)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        # newton-cholesky (sklearn >= 1.2) solves to ~1e-11 here; lbfgs stops around 1e-6.
        m = LogisticRegression(solver="newton-cholesky", tol=1e-12, max_iter=1000, **kwargs).fit(X, y)
    return m.coef_[0], m.intercept_[0]


@pytest.mark.parametrize("seed,n,d", [(0, 300, 4), (1, 1000, 2), (2, 60, 1), (3, 200, 8)])
def test_fit_matches_sklearn_unpenalised(seed, n, d):
    X, y = logistic_data(seed, n, d)
    w, b = logreg.fit_logistic_regression(X, y)
    w_sk, b_sk = sklearn_logreg(X, y)
    # both solve the same strictly convex problem to ~1e-11; 1e-8 leaves room for conditioning
    np.testing.assert_allclose(w, w_sk, atol=1e-8)
    assert b == pytest.approx(b_sk, abs=1e-8)
    record("logistic fit vs sklearn penalty=None", max(np.abs(w - w_sk).max(), abs(b - b_sk)))


@pytest.mark.parametrize("seed,l2", [(0, 0.01), (1, 0.3), (4, 2.0)])
def test_fit_with_l2_matches_sklearn_C(seed, l2):
    # sklearn: 1/2 |w|^2 + C sum loss  <=>  mean loss + l2/2 |w|^2 with l2 = 1/(C N); b unpenalised
    X, y = logistic_data(seed, 250, 3)
    X = X + 2.0      # off-centre features: a penalised intercept would now give a different fit
    w, b = logreg.fit_logistic_regression(X, y, l2=l2)
    w_sk, b_sk = sklearn_logreg(X, y, C=1 / (l2 * len(y)))
    np.testing.assert_allclose(w, w_sk, atol=1e-8)
    assert b == pytest.approx(b_sk, abs=1e-8)
    record("logistic fit vs sklearn C=1/(l2 N)", max(np.abs(w - w_sk).max(), abs(b - b_sk)))
    _, gw, gb = logreg.loss_and_grad(w, b, X, y, l2)
    assert max(np.abs(gw).max(), abs(gb)) < 1e-9


def test_worked_example_from_the_concept():
    # w = (1.5, -0.5), b = -1, x = (2, 1), y = 1: z = 1.5, loss 0.2014, grad (-0.365, -0.182), -0.182
    loss, gw, gb = logreg.loss_and_grad(np.array([1.5, -0.5]), -1.0, np.array([[2.0, 1.0]]), np.array([1.0]))
    assert loss == pytest.approx(-math.log(expit(1.5)), rel=1e-12)
    assert loss == pytest.approx(0.2014, abs=1e-4)
    np.testing.assert_allclose(gw, [2 * (expit(1.5) - 1), expit(1.5) - 1], rtol=1e-12)
    assert gb == pytest.approx(expit(1.5) - 1, rel=1e-12)


def test_separable_data_warns_instead_of_claiming_convergence():
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    y = np.array([0.0, 0.0, 1.0, 1.0])
    with pytest.warns(RuntimeWarning, match="separates the classes"):
        w, _ = logreg.fit_logistic_regression(X, y)
    assert w[0] > 5            # sklearn penalty=None stops at ~10 on these points, by its tolerance
    with warnings.catch_warnings():
        warnings.simplefilter("error")                          # the penalty makes the optimum exist
        w_reg, b_reg = logreg.fit_logistic_regression(X, y, l2=0.1)
    assert np.isfinite(w_reg).all() and 0 < w_reg[0] < 5
    w_sk, b_sk = sklearn_logreg(X, y, C=1 / (0.1 * 4))
    assert w_reg[0] == pytest.approx(w_sk[0], abs=1e-8) and b_reg == pytest.approx(b_sk, abs=1e-8)


def test_logistic_bad_inputs_raise():
    X, y = logistic_data(0, 10, 2)
    with pytest.raises(ValueError, match="2-D"):
        logreg.fit_logistic_regression(X[:, 0], y)
    with pytest.raises(ValueError, match="2-D"):
        logreg.fit_logistic_regression(np.empty((0, 2)), np.empty(0))
    with pytest.raises(ValueError, match="shape"):
        logreg.fit_logistic_regression(X, y[:-1])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        logreg.fit_logistic_regression(X, 2 * y - 1)          # +-1 labels
    with pytest.raises(ValueError, match="l2"):
        logreg.fit_logistic_regression(X, y, l2=-1.0)
    with pytest.raises(ValueError, match="max_iter"):
        logreg.fit_logistic_regression(X, y, max_iter=0)
    with pytest.raises(ValueError, match="w must"):
        logreg.loss_and_grad(np.zeros(3), 0.0, X, y)
    with pytest.raises(ValueError, match="non-empty"):
        logreg.bce_with_logits(np.empty(0), np.empty(0))


# ---------------------------------------------------------------- linear / ridge regression

def regression_data(seed, n, d, n_targets=None):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 3, d) + rng.normal(0, 5, d)   # off-centre, scaled
    shape = (d,) if n_targets is None else (d, n_targets)
    y = X @ rng.normal(size=shape) + 3.0 + rng.normal(0, 0.5, (n,) + shape[1:])
    return X, y


@pytest.mark.parametrize("seed,n,d,k", [(0, 50, 3, None), (1, 200, 10, None), (2, 5, 1, None),
                                        (3, 40, 4, 3)])
def test_ols_matches_sklearn_linear_regression(seed, n, d, k):
    X, y = regression_data(seed, n, d, k)
    w, b = linreg.fit_linear_regression(X, y)
    m = LinearRegression().fit(X, y)
    coef = m.coef_.T          # sklearn stores (n_targets, n_features)
    # float64 SVD least squares vs float64 scipy lstsq: agreement ~1e-12 times the condition number
    np.testing.assert_allclose(w, coef, atol=1e-9)
    np.testing.assert_allclose(b, m.intercept_, atol=1e-9)
    np.testing.assert_allclose(linreg.predict(X, w, b), m.predict(X), atol=1e-9)
    record("OLS vs sklearn LinearRegression", max(np.abs(w - coef).max(), np.abs(b - m.intercept_).max()))


@pytest.mark.parametrize("seed,n,d", [(4, 3, 8), (8, 6, 6), (9, 10, 30)])
def test_ols_with_more_features_than_samples_is_the_minimum_norm_solution(seed, n, d):
    # Centring n rows leaves rank n - 1, plus a rounding-level singular value (~1e-15 s_max).
    # numpy's lstsq cutoff (eps * max(n, d) * s_max) drops it; scipy's (eps * s_max), used by
    # sklearn's LinearRegression, can keep it and then returns a different, larger-norm w.
    # So the peer here is the pseudo-inverse with an explicit cutoff; sklearn must still
    # interpolate the training data equally well.
    X, y = regression_data(seed, n, d)
    w, b = linreg.fit_linear_regression(X, y)
    Xc = X - X.mean(0)
    ref = np.linalg.pinv(Xc, rcond=1e-10) @ (y - y.mean())
    np.testing.assert_allclose(w, ref, atol=1e-10)
    record("OLS p > n vs pinv minimum-norm", np.abs(w - ref).max())
    m = LinearRegression().fit(X, y)
    np.testing.assert_allclose(linreg.predict(X, w, b), y, atol=1e-9)
    np.testing.assert_allclose(m.predict(X), y, atol=1e-9)
    assert np.linalg.norm(w) <= np.linalg.norm(m.coef_) + 1e-12


@pytest.mark.parametrize("seed,n,d,lam", [(0, 50, 3, 1.0), (1, 200, 10, 25.0), (2, 8, 20, 0.5),
                                          (3, 1000, 2, 3.0), (5, 30, 4, 1e-6)])
def test_ridge_matches_sklearn_ridge_alpha_equal_lambda(seed, n, d, lam):
    # sklearn's Ridge minimises the *summed* squared error + alpha |w|^2, intercept unpenalised, so
    # alpha = lam exactly for every n (a mean-squared objective would need alpha = lam * n).
    X, y = regression_data(seed, n, d)
    w, b = linreg.fit_ridge(X, y, lam)
    for solver in ("svd", "cholesky"):
        m = Ridge(alpha=lam, solver=solver).fit(X, y)
        np.testing.assert_allclose(w, m.coef_, atol=1e-9)
        assert b == pytest.approx(m.intercept_, abs=1e-9)
        record("ridge vs sklearn Ridge(alpha=lam)", max(np.abs(w - m.coef_).max(), abs(b - m.intercept_)))


def test_ridge_without_intercept_and_multi_target_match_sklearn():
    X, y = regression_data(6, 40, 5, n_targets=2)
    w, b = linreg.fit_ridge(X, y, 2.0, fit_intercept=False)
    m = Ridge(alpha=2.0, fit_intercept=False, solver="svd").fit(X, y)
    np.testing.assert_allclose(w, m.coef_.T, atol=1e-9)
    np.testing.assert_array_equal(b, np.zeros(2))
    record("ridge vs sklearn Ridge(alpha=lam)", np.abs(w - m.coef_.T).max())


def test_ridge_shrinks_each_principal_direction_by_the_svd_factor():
    # fitted values = mean(y) + sum_j u_j s_j^2/(s_j^2 + lam) u_j^T y_c on the centred design
    X, y = regression_data(7, 30, 4)
    lam = 5.0
    w, b = linreg.fit_ridge(X, y, lam)
    U, s, _ = np.linalg.svd(X - X.mean(0), full_matrices=False)
    fitted = y.mean() + U @ (s**2 / (s**2 + lam) * (U.T @ (y - y.mean())))
    np.testing.assert_allclose(linreg.predict(X, w, b), fitted, atol=1e-10)


def test_worked_examples_from_the_concepts():
    w, b = linreg.fit_linear_regression(np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([1.0, 3.0, 4.0, 7.0]))
    assert b == pytest.approx(0.9, abs=1e-12) and w[0] == pytest.approx(1.9, abs=1e-12)
    w, _ = linreg.fit_ridge(np.array([[1.0], [2.0], [3.0]]), np.array([1.0, 2.0, 2.0]), 1.0, fit_intercept=False)
    assert w[0] == pytest.approx(11 / 15, abs=1e-12)


def test_ill_conditioned_design_is_solved_without_the_normal_equations():
    # Läuchli: X^T X = [[1 + e^2, 1], [1, 1 + e^2]] is exactly singular in float64 at e = 1e-8,
    # so an explicit inverse fails; SVD/QR on X keeps ~8 correct digits (kappa(X) ~ 1.4e8).
    e = 1e-8
    X = np.array([[1.0, 1.0], [e, 0.0], [0.0, e]])
    w, _ = linreg.fit_linear_regression(X, X @ np.array([1.0, 2.0]), fit_intercept=False)
    np.testing.assert_allclose(w, [1.0, 2.0], atol=1e-6)
    record("OLS Läuchli vs exact", np.abs(w - [1.0, 2.0]).max())
    # Ridge with lam = e^2 / 10 (far below the rounding of X^T X): exact SVD of X is
    # s1 = sqrt(2 + e^2) along (1, 1)/sqrt 2 and s2 = e along (1, -1)/sqrt 2, so the solution is
    # f1 (1.5, 1.5) + f2 (-0.5, 0.5) with f = s^2 / (s^2 + lam): f2 = 1/1.1.
    lam = e**2 / 10
    w, _ = linreg.fit_ridge(X, X @ np.array([1.0, 2.0]), lam, fit_intercept=False)
    f1, f2 = (2 + e**2) / (2 + e**2 + lam), e**2 / (e**2 + lam)
    want = f1 * np.array([1.5, 1.5]) + f2 * np.array([-0.5, 0.5])
    np.testing.assert_allclose(w, want, atol=1e-6)
    record("ridge Läuchli vs exact", np.abs(w - want).max())


def test_linear_bad_inputs_raise():
    X, y = regression_data(0, 10, 2)
    with pytest.raises(ValueError, match="2-D"):
        linreg.fit_linear_regression(X[:, 0], y)
    with pytest.raises(ValueError, match="non-empty"):
        linreg.fit_linear_regression(np.empty((0, 2)), np.empty(0))
    with pytest.raises(ValueError, match="y must have shape"):
        linreg.fit_linear_regression(X, y[:-1])
    with pytest.raises(ValueError, match="lam"):
        linreg.fit_ridge(X, y, -1.0)
    with pytest.raises(ValueError, match="finite"):
        linreg.fit_ridge(np.where(X > 0, np.nan, X), y, 1.0)


# ---------------------------------------------------------------- GAN losses

def logits(seed, n, scale=3.0, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, generator=g, dtype=dtype) * scale


@pytest.mark.parametrize("seed,n_real,n_fake", [(0, 64, 64), (1, 1, 7), (2, 300, 20)])
def test_bce_based_losses_match_binary_cross_entropy_with_logits(seed, n_real, n_fake):
    real, fake = logits(seed, n_real), logits(seed + 100, n_fake)
    bce = F.binary_cross_entropy_with_logits
    d_want = bce(real, torch.ones_like(real)) + bce(fake, torch.zeros_like(fake))
    ns_want = bce(fake, torch.ones_like(fake))
    mm_want = -bce(fake, torch.zeros_like(fake))
    for kind, g_want in (("non-saturating", ns_want), ("minimax", mm_want)):
        d, g = gan.gan_losses(real, fake, kind)
        # float64, the same softplus evaluated two ways: rounding only
        torch.testing.assert_close(d, d_want, rtol=1e-12, atol=1e-14)
        torch.testing.assert_close(g, g_want, rtol=1e-12, atol=1e-14)
        record("GAN BCE losses vs F.binary_cross_entropy_with_logits", max((d - d_want).abs(), (g - g_want).abs()))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_all_losses_match_their_defining_formulas_in_float64(seed):
    real, fake = logits(seed, 50, 2.0), logits(seed + 1, 40, 2.0)
    D_real, D_fake = torch.sigmoid(real), torch.sigmoid(fake)   # moderate logits: plain logs are exact enough
    want = {
        "minimax": (-(D_real.log().mean() + (1 - D_fake).log().mean()), (1 - D_fake).log().mean()),
        "non-saturating": (-(D_real.log().mean() + (1 - D_fake).log().mean()), -D_fake.log().mean()),
        "hinge": (torch.clamp(1 - real, min=0).mean() + torch.clamp(1 + fake, min=0).mean(), -fake.mean()),
        "least-squares": (0.5 * ((real - 1) ** 2).mean() + 0.5 * (fake**2).mean(), 0.5 * ((fake - 1) ** 2).mean()),
    }
    for kind, (d_want, g_want) in want.items():
        d, g = gan.gan_losses(real, fake, kind)
        # log(sigmoid) vs softplus in float64 at |l| < ~8: relative error ~1e-15
        torch.testing.assert_close(d, d_want, rtol=1e-11, atol=1e-13)
        torch.testing.assert_close(g, g_want, rtol=1e-11, atol=1e-13)
        record("GAN losses vs defining formulas (float64)", max((d - d_want).abs(), (g - g_want).abs()))


def test_worked_example_table():
    real, fake = torch.tensor([0.5], dtype=torch.float64), torch.tensor([-0.3], dtype=torch.float64)
    table = {"non-saturating": (1.028, 0.854), "hinge": (1.2, 0.3), "least-squares": (0.17, 0.845)}
    for kind, (d_exp, g_exp) in table.items():
        d, g = gan.gan_losses(real, fake, kind)
        assert d.item() == pytest.approx(d_exp, abs=5e-4) and g.item() == pytest.approx(g_exp, abs=5e-4)


def test_saturated_logits_stay_exact_in_float32():
    # sigmoid(200) is exactly 1 in float32; softplus keeps the true values 200 and -200.
    real = torch.tensor([-200.0])     # D is sure a real example is fake
    fake = torch.tensor([200.0])      # ... and that a fake is real
    d, g_ns = gan.gan_losses(real, fake, "non-saturating")
    assert d.item() == pytest.approx(400.0) and torch.isfinite(d)
    assert gan.g_loss_non_saturating(torch.tensor([-200.0])).item() == pytest.approx(200.0)
    assert gan.g_loss_minimax(torch.tensor([200.0])).item() == pytest.approx(-200.0)


@pytest.mark.parametrize("l", [-10.0, -6.0, -3.0, 0.0, 2.0])
def test_non_saturating_vs_saturating_generator_gradients(l):
    n = 8
    fake = torch.full((n,), l, dtype=torch.float64, requires_grad=True)
    g_ns, = torch.autograd.grad(gan.g_loss_non_saturating(fake), fake)
    g_mm, = torch.autograd.grad(gan.g_loss_minimax(fake), fake)
    s = 1 / (1 + math.exp(-l))
    # d/dl softplus(-l) = -(1 - sigmoid(l)); d/dl [-softplus(l)] = -sigmoid(l); each over the batch
    torch.testing.assert_close(g_ns, torch.full_like(fake, -(1 - s) / n), rtol=1e-12, atol=0)
    torch.testing.assert_close(g_mm, torch.full_like(fake, -s / n), rtol=1e-12, atol=0)
    record("GAN G-gradients vs formulas", max((g_ns + (1 - s) / n).abs().max(), (g_mm + s / n).abs().max()))
    # both push l up; their ratio is e^{-l}: when D is confident (l = -10) NS is ~22000x stronger
    assert torch.all(g_ns < 0) and torch.all(g_mm < 0)
    assert (g_ns / g_mm)[0].item() == pytest.approx(math.exp(-l), rel=1e-9)
    if l <= -6:
        assert g_ns.abs().sum() > 0.99 and g_mm.abs().sum() < 3e-3


def test_hinge_generator_gradient_is_not_clipped_past_the_margin():
    fake = torch.tensor([3.0, -3.0, 0.5, 1.5], requires_grad=True)
    grad, = torch.autograd.grad(gan.g_loss_hinge(fake), fake)
    torch.testing.assert_close(grad, torch.full((4,), -0.25))
    real = torch.tensor([2.0, 0.0], requires_grad=True)
    fake = torch.tensor([-2.0, 0.0], requires_grad=True)
    gr, gf = torch.autograd.grad(gan.d_loss_hinge(real, fake), (real, fake))
    # only examples inside the margin contribute to D's gradient
    torch.testing.assert_close(gr, torch.tensor([0.0, -0.5]))
    torch.testing.assert_close(gf, torch.tensor([0.0, 0.5]))


def test_gan_losses_keep_dtype():
    for dtype in (torch.float32, torch.float64):
        real, fake = logits(0, 5, dtype=dtype), logits(1, 5, dtype=dtype)
        for kind in gan.KINDS:
            d, g = gan.gan_losses(real, fake, kind)
            assert d.dtype == g.dtype == dtype and d.dim() == 0


def test_gan_bad_inputs_raise():
    x = torch.zeros(3)
    with pytest.raises(ValueError, match="kind"):
        gan.gan_losses(x, x, "wasserstein")
    with pytest.raises(ValueError, match="empty"):
        gan.gan_losses(torch.zeros(0), x, "hinge")
    with pytest.raises(ValueError, match="floating"):
        gan.g_loss_non_saturating(torch.zeros(3, dtype=torch.long))


# ---------------------------------------------------------------- DDIM

T = 1000
BETAS = torch.linspace(1e-4, 0.02, T, dtype=torch.float64)
ABAR = torch.cumprod(1 - BETAS, dim=0)


def noisy(seed, t, shape=(4, 3), abar=ABAR):
    g = torch.Generator().manual_seed(seed)
    x0 = torch.randn(shape, generator=g, dtype=torch.float64)
    eps = torch.randn(shape, generator=g, dtype=torch.float64)
    return x0, eps, abar[t].sqrt() * x0 + (1 - abar[t]).sqrt() * eps


@pytest.mark.parametrize("t,t_prev", [(999, 979), (600, 400), (10, 9), (1, 0), (999, 0), (50, -1), (0, -1)])
def test_true_eps_eta0_lands_on_the_forward_mean(t, t_prev):
    x0, eps, x_t = noisy(t, t)
    x_prev, x0_hat = ddim.ddim_step(x_t, eps, t, t_prev, ABAR, eta=0.0)
    abar_prev = ABAR[t_prev] if t_prev >= 0 else torch.tensor(1.0, dtype=torch.float64)
    want = abar_prev.sqrt() * x0 + (1 - abar_prev).sqrt() * eps
    # float64: the only error is rounding amplified by 1/sqrt(abar_t) <= ~160 at t = 999
    torch.testing.assert_close(x_prev, want, rtol=0, atol=1e-12)
    torch.testing.assert_close(x0_hat, x0, rtol=0, atol=1e-12)
    record("DDIM eta=0 step vs forward mean", (x_prev - want).abs().max())


@pytest.mark.parametrize("eta", [0.0, 0.5, 1.0])
def test_final_step_returns_x0_hat_with_abar_one(eta):
    x0, eps, x_t = noisy(3, 20)
    x_prev, x0_hat = ddim.ddim_step(x_t, eps + 0.1, 20, -1, ABAR, eta=eta)   # a wrong eps on purpose
    want = (x_t - (1 - ABAR[20]).sqrt() * (eps + 0.1)) / ABAR[20].sqrt()
    torch.testing.assert_close(x0_hat, want, rtol=0, atol=1e-12)
    torch.testing.assert_close(x_prev, x0_hat, rtol=0, atol=0)       # sigma = 0 and no direction term


@pytest.mark.parametrize("t", [1, 10, 500, 999])
def test_eta1_consecutive_step_is_the_ddpm_posterior(t):
    # DDPM (Ho et al. eq. 7): mean = sqrt(abar_{t-1}) beta_t/(1-abar_t) x0 + sqrt(alpha_t)(1-abar_{t-1})/(1-abar_t) x_t
    # variance beta_tilde = (1-abar_{t-1})/(1-abar_t) beta_t, with beta_t taken from the schedule itself
    sigma = ddim.ddim_sigma(ABAR[t], ABAR[t - 1], 1.0)
    beta_tilde = (1 - ABAR[t - 1]) / (1 - ABAR[t]) * BETAS[t]
    torch.testing.assert_close(sigma**2, beta_tilde, rtol=1e-9, atol=0)   # 1 - abar_t/abar_prev vs beta_t: rounding
    record("DDIM sigma^2(eta=1) vs DDPM beta_tilde (rel)", ((sigma**2 - beta_tilde) / beta_tilde).abs())
    x0, eps, x_t = noisy(t, t)
    eps_hat = eps + 0.2                      # any prediction: the identity holds for x0_hat
    x_mean, x0_hat = ddim.ddim_step(x_t, eps_hat, t, t - 1, ABAR, eta=1.0, noise=torch.zeros_like(x_t))
    alpha_t = 1 - BETAS[t]
    mu = (ABAR[t - 1].sqrt() * BETAS[t] / (1 - ABAR[t])) * x0_hat + (alpha_t.sqrt() * (1 - ABAR[t - 1]) / (1 - ABAR[t])) * x_t
    torch.testing.assert_close(x_mean, mu, rtol=1e-8, atol=1e-9)
    record("DDIM eta=1 mean vs DDPM posterior mean", (x_mean - mu).abs().max())


@pytest.mark.parametrize("t,t_prev", [(999, 979), (300, 100)])
def test_eta1_sigma_for_skipped_steps_matches_eq16(t, t_prev):
    a, p = ABAR[t], ABAR[t_prev]
    want = ((1 - p) / (1 - a)).sqrt() * (1 - a / p).sqrt()
    for eta in (0.0, 0.3, 1.0):
        torch.testing.assert_close(ddim.ddim_sigma(a, p, eta), eta * want, rtol=1e-14, atol=0)


def test_worked_example_from_the_concept():
    abar = torch.tensor([0.9, 0.5], dtype=torch.float64)
    x_t, eps = torch.tensor([1.0], dtype=torch.float64), torch.tensor([0.6], dtype=torch.float64)
    x_prev, x0_hat = ddim.ddim_step(x_t, eps, 1, 0, abar, eta=0.0)
    assert x0_hat.item() == pytest.approx(0.8142, abs=1e-4)
    assert x_prev.item() == pytest.approx(0.9622, abs=1e-4)
    # the probability-flow (ODE) form: x_prev/sqrt(a_prev) = x_t/sqrt(a_t) + (sbar_prev - sbar_t) eps
    sbar = ((1 - abar) / abar).sqrt()
    ode = abar[0].sqrt() * (x_t / abar[1].sqrt() + (sbar[0] - sbar[1]) * eps)
    torch.testing.assert_close(x_prev, ode, rtol=1e-14, atol=0)
    assert ddim.ddim_sigma(abar[1], abar[0], 1.0).item() == pytest.approx(0.2981, abs=1e-4)
    x_mean, _ = ddim.ddim_step(x_t, eps, 1, 0, abar, eta=1.0, noise=torch.zeros(1, dtype=torch.float64))
    assert x_mean.item() == pytest.approx(0.7724 + math.sqrt(0.1 - 0.2981**2) * 0.6, abs=2e-4)


def test_stochastic_step_preserves_the_marginal():
    # x_t ~ q(x_t | x0), true eps, fresh z: x_prev must be N(sqrt(abar_prev) x0, 1 - abar_prev).
    n, t, t_prev, eta = 200_000, 700, 500, 0.7
    g = torch.Generator().manual_seed(0)
    x0 = torch.full((n,), 0.8, dtype=torch.float64)
    eps = torch.randn(n, generator=g, dtype=torch.float64)
    x_t = ABAR[t].sqrt() * x0 + (1 - ABAR[t]).sqrt() * eps
    x_prev, _ = ddim.ddim_step(x_t, eps, t, t_prev, ABAR, eta=eta, generator=g)
    mean, var = ABAR[t_prev].sqrt() * 0.8, 1 - ABAR[t_prev]
    # 4 standard errors of the sample mean and of the sample variance (fixed seed)
    assert abs(x_prev.mean() - mean) < 4 * math.sqrt(var / n)
    assert abs(x_prev.var() - var) < 4 * var * math.sqrt(2 / n)
    # the fresh noise alone has variance sigma^2: residual after removing the deterministic part
    det, _ = ddim.ddim_step(x_t, eps, t, t_prev, ABAR, eta=0.0)
    sigma2 = ddim.ddim_sigma(ABAR[t], ABAR[t_prev], eta) ** 2
    c = (1 - ABAR[t_prev] - sigma2).sqrt() - (1 - ABAR[t_prev]).sqrt()
    resid = x_prev - det - c * eps
    assert abs(resid.var() - sigma2) < 4 * sigma2 * math.sqrt(2 / n)


def test_oracle_sampler_recovers_the_data_point():
    x0 = torch.tensor([[1.0, -2.0, 0.5]], dtype=torch.float64)
    oracle = lambda x, s: (x - ABAR[s].sqrt() * x0) / (1 - ABAR[s]).sqrt()
    for spacing in ddim.SPACINGS:
        for eta in (0.0, 1.0):
            g = torch.Generator().manual_seed(1)
            x_T = torch.randn((1, 3), generator=g, dtype=torch.float64)
            out = ddim.ddim_sample(oracle, x_T, ABAR, ddim.ddim_timesteps(T, 25, spacing), eta, generator=g)
            torch.testing.assert_close(out, x0, rtol=0, atol=1e-9)


def test_timestep_spacings_match_the_documented_sequences():
    lead = ddim.ddim_timesteps(1000, 50, "leading", steps_offset=1)
    assert lead[:2].tolist() == [981, 961] and lead[-2:].tolist() == [21, 1]
    lead0 = ddim.ddim_timesteps(1000, 50, "leading")
    assert lead0[0].item() == 980 and lead0[-1].item() == 0
    lin = ddim.ddim_timesteps(1000, 50, "linspace")
    assert lin[:3].tolist() == [999, 979, 958] and lin[-2:].tolist() == [20, 0]
    trail = ddim.ddim_timesteps(1000, 50, "trailing")
    assert trail[:3].tolist() == [999, 979, 959] and trail[-2:].tolist() == [39, 19]
    # the same constructions as diffusers' set_timesteps, written independently with numpy
    for T_, n in [(1000, 50), (1000, 3), (1000, 7), (10, 10), (1000, 1), (17, 5)]:
        want = {
            "leading": (np.arange(0, n) * (T_ // n)).round()[::-1],
            "linspace": np.linspace(0, T_ - 1, n).round()[::-1],
            "trailing": np.round(np.arange(T_, 0, -T_ / n)) - 1,
        }
        for spacing, ref in want.items():
            got = ddim.ddim_timesteps(T_, n, spacing)
            assert got.dtype == torch.long and len(got) == n
            assert got.tolist() == ref.astype(int).tolist(), (T_, n, spacing)
            assert torch.all(got[:-1] > got[1:]) and 0 <= got.min() and got.max() < T_
    assert ddim.ddim_timesteps(10, 10, "linspace").tolist() == list(range(9, -1, -1))


def test_schedule_and_data_in_different_dtypes_are_handled():
    x0, eps, x_t = noisy(5, 800, shape=(2, 3, 4, 4))
    want, want_x0 = ddim.ddim_step(x_t, eps, 800, 600, ABAR, eta=0.0)
    # float64 schedule, float32 data: output float32, equal up to float32 rounding (~1e-7 relative
    # amplified by 1/sqrt(abar_800) ~ 6)
    got, got_x0 = ddim.ddim_step(x_t.float(), eps.float(), 800, 600, ABAR, eta=0.0)
    assert got.dtype == got_x0.dtype == torch.float32
    torch.testing.assert_close(got.double(), want, rtol=0, atol=1e-5)
    record("DDIM float32 data / float64 schedule vs float64", (got.double() - want).abs().max())
    # float32 schedule, float64 data: output float64; coefficients carry float32 rounding
    got, _ = ddim.ddim_step(x_t, eps, 800, 600, ABAR.float(), eta=1.0, noise=torch.zeros_like(x_t))
    want1, _ = ddim.ddim_step(x_t, eps, 800, 600, ABAR, eta=1.0, noise=torch.zeros_like(x_t))
    assert got.dtype == torch.float64
    torch.testing.assert_close(got, want1, rtol=0, atol=1e-5)
    # eps from a model in another dtype than x_t is a caller bug: a clear error, not a silent upcast
    with pytest.raises(ValueError, match="dtype"):
        ddim.ddim_step(x_t.float(), eps, 800, 600, ABAR)
    # fresh noise is drawn in the data's dtype
    out, _ = ddim.ddim_step(x_t.float(), eps.float(), 800, 600, ABAR, eta=1.0)
    assert out.dtype == torch.float32


def test_ddim_bad_inputs_raise():
    _, eps, x_t = noisy(0, 10)
    with pytest.raises(ValueError, match="t must be"):
        ddim.ddim_step(x_t, eps, 1000, 5, ABAR)
    with pytest.raises(ValueError, match="t_prev"):
        ddim.ddim_step(x_t, eps, 10, 10, ABAR)
    with pytest.raises(ValueError, match="t_prev"):
        ddim.ddim_step(x_t, eps, 10, -2, ABAR)
    with pytest.raises(ValueError, match="eta"):
        ddim.ddim_step(x_t, eps, 10, 5, ABAR, eta=-0.1)
    with pytest.raises(ValueError, match="eta"):
        ddim.ddim_step(x_t, eps, 999, 0, ABAR, eta=50.0)   # more noise than 1 - abar_prev
    with pytest.raises(ValueError, match="shape"):
        ddim.ddim_step(x_t, eps[:2], 10, 5, ABAR)
    with pytest.raises(ValueError, match="num_inference_steps"):
        ddim.ddim_timesteps(1000, 0)
    with pytest.raises(ValueError, match="num_inference_steps"):
        ddim.ddim_timesteps(10, 11)
    with pytest.raises(ValueError, match="spacing"):
        ddim.ddim_timesteps(1000, 10, "karras")
    with pytest.raises(ValueError, match="steps_offset"):
        ddim.ddim_timesteps(1000, 10, "trailing", steps_offset=1)
