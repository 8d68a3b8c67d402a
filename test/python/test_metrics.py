import warnings

import numpy as np
import pytest
import torch

from conftest import load_snippet

fid_np = load_snippet("fid-numpy")
fid_t = load_snippet("fid-torch")
is_mod = load_snippet("inception-score-numpy")
kid = load_snippet("kid-numpy")


def correlated(seed, n=3000, d=8, shift=0.0):
    rng = np.random.default_rng(seed)
    mixing = rng.normal(size=(d, d)) / np.sqrt(d)
    return rng.normal(size=(n, d)) @ mixing + shift


def closed_form_1d(m1, s1, m2, s2):
    return (m1 - m2) ** 2 + s1**2 + s2**2 - 2 * s1 * s2


def test_fid_of_a_set_with_itself_is_zero():
    X = correlated(0)
    assert abs(fid_np.fid_from_features(X, X)) < 1e-8
    assert abs(fid_t.fid_from_features(torch.from_numpy(X), torch.from_numpy(X)).item()) < 1e-8


@pytest.mark.parametrize("m1,s1,m2,s2", [(1.0, 2.0, -0.5, 0.5), (0.0, 1.0, 0.0, 3.0), (2.0, 0.1, 2.5, 0.1)])
def test_fid_one_dimensional_closed_form(m1, s1, m2, s2):
    expected = closed_form_1d(m1, s1, m2, s2)
    got_np = fid_np.frechet_distance(np.array([m1]), np.array([[s1**2]]), np.array([m2]), np.array([[s2**2]]))
    got_t = fid_t.frechet_distance(torch.tensor([m1]), torch.tensor([[s1**2]]), torch.tensor([m2]), torch.tensor([[s2**2]]))
    assert got_np == pytest.approx(expected, abs=1e-10)
    assert got_t.item() == pytest.approx(expected, abs=1e-10)


def test_fid_from_one_dimensional_features_uses_sample_statistics():
    rng = np.random.default_rng(1)
    a, b = rng.normal(1.0, 2.0, 500), rng.normal(-1.0, 0.5, 700)
    expected = closed_form_1d(a.mean(), a.std(ddof=1), b.mean(), b.std(ddof=1))
    assert fid_np.fid_from_features(a[:, None], b[:, None]) == pytest.approx(expected, rel=1e-10)
    assert fid_t.fid_from_features(torch.from_numpy(a[:, None]), torch.from_numpy(b[:, None])).item() == pytest.approx(expected, rel=1e-10)


def test_fid_commuting_covariances_reduce_to_frobenius_distance_of_roots():
    mu1, mu2 = np.array([0.0, 1.0, 2.0]), np.array([1.0, 1.0, 0.0])
    var1, var2 = np.array([1.0, 4.0, 0.25]), np.array([9.0, 1.0, 0.25])
    expected = ((mu1 - mu2) ** 2).sum() + ((np.sqrt(var1) - np.sqrt(var2)) ** 2).sum()
    assert fid_np.frechet_distance(mu1, np.diag(var1), mu2, np.diag(var2)) == pytest.approx(expected, abs=1e-10)
    got = fid_t.frechet_distance(torch.from_numpy(mu1), torch.from_numpy(np.diag(var1)), torch.from_numpy(mu2), torch.from_numpy(np.diag(var2)))
    assert got.item() == pytest.approx(expected, abs=1e-10)


def test_fid_numpy_and_torch_agree_and_are_symmetric():
    X, Y = correlated(2), correlated(3, shift=0.3)
    a = fid_np.fid_from_features(X, Y)
    b = fid_t.fid_from_features(torch.from_numpy(X), torch.from_numpy(Y)).item()
    assert a > 0.1
    assert a == pytest.approx(b, rel=1e-8)
    assert fid_np.fid_from_features(Y, X) == pytest.approx(a, rel=1e-8)
    # float32 input is promoted to float64 by the torch version
    c = fid_t.fid_from_features(torch.from_numpy(X).float(), torch.from_numpy(Y).float()).item()
    assert c == pytest.approx(a, rel=1e-4)


def test_fid_singular_covariances_stay_finite_and_agree():
    # fewer samples than dimensions: both covariances are rank-deficient
    rng = np.random.default_rng(4)
    X, Y = rng.normal(size=(12, 30)), rng.normal(size=(12, 30)) + 0.1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = fid_np.fid_from_features(X, Y)
    b = fid_t.fid_from_features(torch.from_numpy(X), torch.from_numpy(Y)).item()
    assert np.isfinite(a) and np.isfinite(b)
    assert a == pytest.approx(b, rel=1e-3)


def test_inception_score_limits():
    n_classes = 10
    uniform = np.full((1000, n_classes), 1 / n_classes)
    mean, std = is_mod.inception_score(uniform, n_splits=10)
    assert mean == pytest.approx(1.0, abs=1e-12) and std == pytest.approx(0.0, abs=1e-12)
    one_hot = np.eye(n_classes)[np.arange(1000) % n_classes]
    mean, std = is_mod.inception_score(one_hot, n_splits=10)
    assert mean == pytest.approx(n_classes, rel=1e-12) and std == pytest.approx(0.0, abs=1e-12)
    # confident but all the same class: no diversity -> 1
    same = np.eye(n_classes)[np.zeros(1000, dtype=int)]
    assert is_mod.inception_score(same, n_splits=5)[0] == pytest.approx(1.0, abs=1e-12)


def test_inception_score_equals_entropy_difference():
    rng = np.random.default_rng(5)
    logits = rng.normal(size=(400, 6)) * 2
    probs = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    # IS = exp(H(p(y)) - E_x H(p(y|x))) for a single split
    marginal = probs.mean(0)
    expected = np.exp(-(marginal * np.log(marginal)).sum() + (probs * np.log(probs)).sum(1).mean())
    assert is_mod.inception_score(probs, n_splits=1)[0] == pytest.approx(expected, rel=1e-12)
    assert 1.0 < expected < 6.0


def test_inception_score_rejects_logits():
    with pytest.raises(ValueError):
        is_mod.inception_score(np.random.default_rng(0).normal(size=(10, 3)))


def brute_force_mmd2(X, Y):
    k = lambda a, b: (a @ b / X.shape[1] + 1) ** 3
    m, n = len(X), len(Y)
    xx = sum(k(X[i], X[j]) for i in range(m) for j in range(m) if i != j) / (m * (m - 1))
    yy = sum(k(Y[i], Y[j]) for i in range(n) for j in range(n) if i != j) / (n * (n - 1))
    xy = sum(k(X[i], Y[j]) for i in range(m) for j in range(n)) / (m * n)
    return xx + yy - 2 * xy


def test_mmd2_unbiased_matches_brute_force():
    rng = np.random.default_rng(6)
    X, Y = rng.normal(size=(9, 3)), rng.normal(size=(11, 3)) + 0.2
    assert kid.mmd2_unbiased(X, Y) == pytest.approx(brute_force_mmd2(X, Y), rel=1e-12)


def test_mmd2_estimator_is_unbiased_for_the_same_distribution():
    # Averaged over many independent small samples the estimate is centred on 0; the biased
    # (diagonal-included) version would sit clearly above 0 here.
    rng = np.random.default_rng(7)
    values = np.array([kid.mmd2_unbiased(rng.normal(size=(20, 4)), rng.normal(size=(20, 4))) for _ in range(1500)])
    se = values.std() / np.sqrt(len(values))
    assert abs(values.mean()) < 4 * se


def test_kid_near_zero_for_same_distribution_and_positive_for_shift():
    rng = np.random.default_rng(8)
    real, same, shifted = rng.normal(size=(600, 8)), rng.normal(size=(600, 8)), rng.normal(0.5, 1.0, size=(600, 8))
    kid_same, std_same = kid.kernel_inception_distance(real, same, n_subsets=30, subset_size=200, rng=rng)
    kid_shift, std_shift = kid.kernel_inception_distance(real, shifted, n_subsets=30, subset_size=200, rng=rng)
    assert abs(kid_same) < 0.05 * kid_shift
    assert kid_shift > 5 * std_shift > 0


def test_fid_falls_back_to_a_ridge_when_sqrtm_is_not_finite(monkeypatch):
    # Make the first square root fail the way it can on badly conditioned products and check that
    # the eps-ridge retry gives (almost) the exact value.
    X, Y = correlated(9, n=500, d=4), correlated(10, n=500, d=4, shift=0.2)
    exact = fid_np.fid_from_features(X, Y)
    real_sqrtm = fid_np.linalg.sqrtm
    calls = []

    def flaky_sqrtm(matrix, *args, **kwargs):
        # disp=False is deprecated (gone in SciPy 1.18): plain sqrtm returns the root alone
        assert not args and "disp" not in kwargs, (args, kwargs)
        calls.append(matrix)
        if len(calls) == 1:
            return np.full_like(matrix, np.nan)
        return real_sqrtm(matrix)

    monkeypatch.setattr(fid_np.linalg, "sqrtm", flaky_sqrtm)
    assert fid_np.fid_from_features(X, Y) == pytest.approx(exact, abs=1e-4)
    assert len(calls) == 2


def test_fid_raises_when_sqrtm_stays_non_finite(monkeypatch):
    X, Y = correlated(9, n=500, d=4), correlated(10, n=500, d=4, shift=0.2)
    monkeypatch.setattr(fid_np.linalg, "sqrtm", lambda matrix: np.full_like(matrix, np.nan))
    with pytest.raises(ValueError, match="not finite"):
        fid_np.fid_from_features(X, Y)


def test_fid_rejects_a_root_with_a_large_imaginary_part(monkeypatch):
    X, Y = correlated(9, n=500, d=4), correlated(10, n=500, d=4, shift=0.2)
    real_sqrtm = fid_np.linalg.sqrtm
    monkeypatch.setattr(fid_np.linalg, "sqrtm", lambda matrix: real_sqrtm(matrix) + 0.5j)
    with pytest.raises(ValueError, match="imaginary component"):
        fid_np.fid_from_features(X, Y)


def almost_psd_pair(negative=-1e-8):
    """Block-diagonal covariances: a 2x2 pair whose sqrt(S1 S2) has a negative diagonal entry, and
    a third dimension where S2 has a slightly negative eigenvalue, as rounding (or statistics stored
    in float32) leaves on a singular covariance."""
    sigma1 = np.array([[1.0, 3.0, 0.0], [3.0, 10.0, 0.0], [0.0, 0.0, 1.0]])
    sigma2 = np.array([[3.0, -3.0, 0.0], [-3.0, 4.0, 0.0], [0.0, 0.0, negative]])
    # 2x2 block: M = S1 S2 has tr M = 25, det M = det S1 det S2 = 3 and positive eigenvalues, so
    # Tr M^{1/2} = sqrt(tr M + 2 sqrt(det M)); the third dimension contributes sqrt(max(neg, 0)) = 0.
    expected = np.trace(sigma1) + np.trace(sigma2) - 2 * np.sqrt(25 + 2 * np.sqrt(3))
    return sigma1, sigma2, expected


def test_fid_uses_the_real_part_of_a_complex_square_root():
    # The negative eigenvalue makes sqrtm work in complex arithmetic; its result is the root plus
    # rounding-size imaginary parts, so FID must take the real part. The modulus (np.abs) would flip
    # the sign of the negative diagonal entry of sqrt(S1 S2) and change the trace.
    sigma1, sigma2, expected = almost_psd_pair()
    assert np.iscomplexobj(fid_np.linalg.sqrtm(sigma1 @ sigma2))
    assert np.real(np.diagonal(fid_np.linalg.sqrtm(sigma1 @ sigma2))).min() < -0.5
    mu = np.zeros(3)
    assert fid_np.frechet_distance(mu, sigma1, mu, sigma2) == pytest.approx(expected, abs=1e-9)
    # torch: a negative (rounding) eigenvalue is clamped to 0, not reflected to |lambda|, whose
    # square root (1e-4 here) would show up in the distance
    got = fid_t.frechet_distance(torch.zeros(3), torch.from_numpy(sigma1), torch.zeros(3), torch.from_numpy(sigma2))
    assert got.item() == pytest.approx(expected, abs=1e-9)
    root = fid_t.sqrtm_psd(torch.from_numpy(sigma2))
    assert root[2, 2].item() == 0.0


def test_inception_score_estimates_the_marginal_per_split():
    # Two halves, each confidently one class: within a half p(y) is that class, so each part scores
    # exactly 1. A marginal over all the data (half and half) would give 2 for both parts.
    one_hot = np.eye(2)[np.repeat([0, 1], 50)]
    assert is_mod.inception_score(one_hot, n_splits=2) == pytest.approx((1.0, 0.0), abs=1e-12)
    assert is_mod.inception_score(one_hot, n_splits=1)[0] == pytest.approx(2.0, rel=1e-12)
    # uneven splits (np.array_split): parts of 34, 33 and 33 rows, each with its own p(y)
    rng = np.random.default_rng(11)
    logits = rng.normal(size=(100, 4)) * 3
    probs = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    per_part = [is_mod.inception_score(part, n_splits=1)[0] for part in (probs[:34], probs[34:67], probs[67:])]
    assert is_mod.inception_score(probs, n_splits=3) == pytest.approx((np.mean(per_part), np.std(per_part)), rel=1e-12)


def test_kid_subsets_are_drawn_without_replacement():
    # With subset_size = N every subset is a permutation of the whole set, and the unbiased MMD^2
    # does not depend on the order: each subset gives exactly the full-set value, with no spread.
    # Drawing with replacement would repeat vectors and vary from subset to subset.
    rng = np.random.default_rng(12)
    X, Y = rng.normal(size=(40, 5)), rng.normal(0.3, 1.0, size=(40, 5))
    mean, std = kid.kernel_inception_distance(X, Y, n_subsets=10, subset_size=40, rng=rng)
    assert mean == pytest.approx(kid.mmd2_unbiased(X, Y), rel=1e-10)
    assert std < 1e-12


# Edge inputs: one ValueError with one message, shared by the NumPy and PyTorch variants.

FID_STATS_MESSAGE = r"features must be \(N, d\) with N >= 2 to estimate a covariance, got shape"


@pytest.mark.parametrize("shape", [(1, 3), (1, 1), (0, 3), (5,)])
def test_fid_needs_at_least_two_feature_vectors(shape):
    for make, module in ((np.zeros, fid_np), (torch.zeros, fid_t)):
        with pytest.raises(ValueError, match=FID_STATS_MESSAGE) as numpy_or_torch:
            module.gaussian_stats(make(shape))
        assert str(numpy_or_torch.value).endswith(f"got shape {shape}")
        good = make((4, 3)) + 1
        with pytest.raises(ValueError, match=FID_STATS_MESSAGE):
            module.fid_from_features(good, make(shape))


def test_fid_edge_messages_are_identical_in_numpy_and_torch():
    messages = []
    for make, module in ((np.zeros, fid_np), (torch.zeros, fid_t)):
        with pytest.raises(ValueError) as error:
            module.fid_from_features(make((1, 8)), make((1, 8)))
        messages.append(str(error.value))
    assert messages[0] == messages[1] == "features must be (N, d) with N >= 2 to estimate a covariance, got shape (1, 8)"


@pytest.mark.parametrize("n_splits", [0, -1, 11, 100])
def test_inception_score_rejects_n_splits_outside_1_to_n(n_splits):
    probs = np.full((10, 3), 1 / 3)
    with pytest.raises(ValueError, match=rf"n_splits must be in \[1, N = 10\], got {n_splits}$"):
        is_mod.inception_score(probs, n_splits=n_splits)
    assert is_mod.inception_score(probs, n_splits=10)[0] == pytest.approx(1.0, abs=1e-12)  # N splits of 1 row


@pytest.mark.parametrize("subset_size,n1,n2", [(31, 30, 40), (41, 50, 40), (1, 30, 30), (0, 30, 30), (2, 1, 30)])
def test_kid_rejects_subset_size_outside_2_to_n(subset_size, n1, n2):
    rng = np.random.default_rng(13)
    X, Y = rng.normal(size=(n1, 4)), rng.normal(size=(n2, 4))
    with pytest.raises(ValueError, match=rf"subset_size must be in \[2, N = {min(n1, n2)}\], got {subset_size}$"):
        kid.kernel_inception_distance(X, Y, n_subsets=3, subset_size=subset_size, rng=rng)


def test_mmd2_needs_two_vectors_per_set():
    rng = np.random.default_rng(14)
    with pytest.raises(ValueError, match="need at least 2 feature vectors per set, got 1 and 5"):
        kid.mmd2_unbiased(rng.normal(size=(1, 3)), rng.normal(size=(5, 3)))


# The long-context snippets' own tests live in test_long_context.py (another author's file); the
# edge input added here is the empty sequence.

def test_sliding_windows_reject_an_empty_sequence():
    sw = load_snippet("sliding-window-python")
    calls = []
    for run in (lambda: sw.window_starts(0, 4, 2), lambda: sw.sliding_windows([], 4, 2),
                lambda: sw.apply_windowed([], lambda w: calls.append(w) or [], 4, 2)):
        with pytest.raises(ValueError, match="^empty sequence: there is nothing to window$"):
            run()
    assert calls == [], "the model must not be called on an empty window"
    assert sw.sliding_windows([7], 4, 2) == [(0, [7])]
