"""Sampling filters, perplexity, EMA weights, precision/recall/F1, ROC AUC and average precision.

Each snippet is compared with the field's implementation (torch, torch.optim.swa_utils,
scikit-learn) or, where there is none, with its defining formula computed independently in
float64. The largest absolute difference seen per comparison is printed after the run.
"""
import math
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy import stats
from sklearn import metrics as skm
from torch import nn
from torch.optim.swa_utils import AveragedModel

from conftest import load_snippet, record

samp = load_snippet("sampling-torch")
ppl = load_snippet("perplexity-torch")
ema_mod = load_snippet("ema-weights-torch")
prf = load_snippet("precision-recall-f1-numpy")
roc = load_snippet("roc-auc-numpy")
ap = load_snippet("average-precision-numpy")

# ---------------------------------------------------------------- sampling-torch

def target_distribution(z, temperature=1.0, top_k=None, top_p=1.0):
    """Exact sampling distribution of one row, written from the definitions in float64."""
    z = np.asarray(z, dtype=np.float64) / temperature
    q = np.exp(z - z.max())
    q /= q.sum()
    order = np.argsort(-q, kind="stable")
    keep = np.zeros(q.size, dtype=bool)
    n_keep = q.size if top_k is None else min(top_k, q.size)
    keep[order[:n_keep]] = True
    q = np.where(keep, q, 0.0) / q[keep].sum()
    if top_p < 1.0:
        # smallest prefix of the ranking whose mass is >= top_p
        cumulative = np.cumsum(q[order])
        size = int(np.searchsorted(cumulative, top_p)) + 1
        nucleus = np.zeros(q.size, dtype=bool)
        nucleus[order[:size]] = True
        q = np.where(nucleus, q, 0.0) / q[nucleus].sum()
    return q


SAMPLING_CASES = [
    dict(temperature=1.0), dict(temperature=0.7, top_k=3), dict(temperature=1.5, top_p=0.8),
    dict(top_k=5, top_p=0.6), dict(temperature=0.5, top_k=1), dict(top_p=0.999), dict(top_k=100),
    dict(temperature=2.0, top_k=7, top_p=0.3),
]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("case", SAMPLING_CASES, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_filtered_distribution_equals_the_exact_target(seed, case):
    g = torch.Generator().manual_seed(seed)
    vocab = [1, 2, 10, 50][seed]
    logits = torch.randn(3, 2, vocab, generator=g, dtype=torch.float64) * 3
    got = samp.sampling_probs(logits, **case).numpy()
    expected = np.stack([target_distribution(row, **case) for row in logits.reshape(-1, vocab).numpy()])
    diff = np.abs(got.reshape(-1, vocab) - expected).max()
    record("sampling-torch vs exact target (float64)", diff)
    # float64 softmax of the same numbers: only rounding differs
    assert diff < 1e-12


@pytest.mark.parametrize("seed", range(3))
def test_float32_logits_keep_their_dtype_and_match_the_target(seed):
    g = torch.Generator().manual_seed(10 + seed)
    logits = torch.randn(4, 30, generator=g) * 2
    got = samp.sampling_probs(logits, temperature=0.9, top_k=12, top_p=0.85)
    assert got.dtype == torch.float32
    expected = np.stack([target_distribution(r, 0.9, 12, 0.85) for r in logits.double().numpy()])
    diff = np.abs(got.double().numpy() - expected).max()
    record("sampling-torch vs exact target (float32)", diff)
    assert diff < 1e-6  # float32 softmax: ~1e-7 relative rounding


def test_worked_examples_of_the_concept_pages():
    logits = torch.tensor([0.50, 0.20, 0.15, 0.10, 0.05], dtype=torch.float64).log()
    np.testing.assert_allclose(samp.sampling_probs(logits, top_k=2).numpy(), [0.5 / 0.7, 0.2 / 0.7, 0, 0, 0], atol=1e-12)
    np.testing.assert_allclose(samp.sampling_probs(logits, top_p=0.9).numpy(),
                               [0.50 / 0.95, 0.20 / 0.95, 0.15 / 0.95, 0.10 / 0.95, 0], atol=1e-12)
    # the nucleus is the smallest prefix with mass >= p: just below / above the first token's mass
    assert (samp.sampling_probs(logits, top_p=0.49) > 0).sum() == 1
    assert (samp.sampling_probs(logits, top_p=0.51) > 0).sum() == 2
    assert (samp.sampling_probs(logits, top_p=1e-9) > 0).sum() == 1  # the top token always stays
    assert (samp.sampling_probs(logits, top_p=1.0) > 0).sum() == 5
    z = torch.tensor([2.0, 1.0, 0.0], dtype=torch.float64)
    np.testing.assert_allclose(samp.sampling_probs(z, temperature=0.5).numpy(), [0.867, 0.117, 0.016], atol=5e-4)
    np.testing.assert_allclose(samp.sampling_probs(z, temperature=2.0).numpy(), [0.506, 0.307, 0.186], atol=5e-4)


def test_top_k_keeps_tokens_tied_with_the_kth():
    logits = torch.tensor([3.0, 1.0, 1.0, 0.0])
    assert (samp.sampling_probs(logits, top_k=2) > 0).tolist() == [True, True, True, False]


def test_filter_logits_sets_removed_tokens_to_minus_inf_and_scales_the_rest():
    logits = torch.tensor([[2.0, 0.5, -1.0, 4.0]])
    out = samp.filter_logits(logits, temperature=2.0, top_k=2)
    assert torch.equal(out, torch.tensor([[1.0, float("-inf"), float("-inf"), 2.0]]))


@pytest.mark.parametrize("seed,case", [(0, dict(temperature=0.8, top_k=4, top_p=0.95)),
                                       (1, dict(top_p=0.7)), (2, dict(temperature=1.3, top_k=3))])
def test_empirical_frequencies_pass_a_chi_square_bound(seed, case):
    g = torch.Generator().manual_seed(100 + seed)
    logits = torch.randn(6, generator=g, dtype=torch.float64) * 1.5
    expected = target_distribution(logits.numpy(), **case)
    n = 200_000
    draws = samp.sample(logits.expand(n, -1), generator=torch.Generator().manual_seed(seed), **case)
    assert draws.shape == (n,)
    counts = np.bincount(draws.numpy(), minlength=6)
    kept = expected > 0
    assert counts[~kept].sum() == 0  # a filtered token is never drawn
    statistic = ((counts[kept] - n * expected[kept]) ** 2 / (n * expected[kept])).sum()
    dof = int(kept.sum()) - 1
    record("sampling-torch empirical vs exact frequency", np.abs(counts / n - expected).max())
    if dof > 0:
        # Pearson's statistic is ~chi2(dof) under the exact distribution; a fixed seed makes the
        # draw deterministic and the 1e-4 tail keeps the bound loose enough not to be flaky.
        assert statistic < stats.chi2.ppf(1 - 1e-4, dof), statistic


def test_temperature_to_zero_is_greedy():
    g = torch.Generator().manual_seed(7)
    logits = torch.randn(16, 20, generator=g, dtype=torch.float64)
    # the runner-up keeps exp(-gap / T) of the top token's mass: T = gap / 40 leaves < 1e-17
    top2 = logits.topk(2, dim=-1).values
    t_small = float((top2[:, 0] - top2[:, 1]).min()) / 40
    probs = samp.sampling_probs(logits, temperature=t_small)
    greedy = F.one_hot(logits.argmax(-1), 20).double()
    assert torch.allclose(probs, greedy, atol=1e-15)
    draws = samp.sample(logits, temperature=t_small, generator=torch.Generator().manual_seed(0))
    assert torch.equal(draws, logits.argmax(-1))
    # ... and entropy grows with T while the ranking never changes
    entropies = []
    for t in (0.25, 0.5, 1.0, 2.0, 4.0):
        p = samp.sampling_probs(logits, temperature=t)
        entropies.append(-(p * p.log()).sum(-1))
        assert torch.equal(p.argsort(-1), logits.argsort(-1))
    assert all((b > a).all() for a, b in zip(entropies, entropies[1:]))


def test_large_logits_do_not_overflow():
    logits = torch.tensor([1e4, 1e4 - 1, 1e4 - 3])
    probs = samp.sampling_probs(logits, top_p=0.9)
    assert torch.isfinite(probs).all() and abs(probs.sum().item() - 1) < 1e-6


@pytest.mark.parametrize("kwargs", [dict(temperature=0.0), dict(temperature=-1.0), dict(temperature=float("inf")),
                                    dict(temperature=float("nan")), dict(top_k=0), dict(top_k=-2), dict(top_k=2.5),
                                    dict(top_k=True), dict(top_p=0.0), dict(top_p=1.5), dict(top_p=-0.1),
                                    dict(top_p=float("nan"))])
def test_invalid_sampling_arguments_raise(kwargs):
    with pytest.raises(ValueError):
        samp.sampling_probs(torch.randn(5), **kwargs)
    with pytest.raises(ValueError):
        samp.sample(torch.randn(2, 5), **kwargs)


def test_invalid_logits_raise():
    with pytest.raises(ValueError):
        samp.sampling_probs(torch.randn(3, 0))
    with pytest.raises(ValueError):
        samp.sampling_probs(torch.tensor(1.0))
    with pytest.raises(ValueError):
        samp.sampling_probs(torch.tensor([1, 2, 3]))


# ---------------------------------------------------------------- perplexity-torch

def random_lm_batch(seed, batch=3, length=9, vocab=17, dtype=torch.float64, ignore_index=-100, scale=3.0):
    g = torch.Generator().manual_seed(seed)
    logits = (torch.randn(batch, length, vocab, generator=g, dtype=torch.float64) * scale).to(dtype)
    targets = torch.randint(0, vocab, (batch, length), generator=g)
    pad = torch.rand(batch, length, generator=g) < 0.25
    targets[pad] = ignore_index
    targets[0, 1] = 0  # at least one scored token
    return logits, targets


def reference_ppl_float64(logits, targets, ignore_index=-100, shift=True):
    """exp(mean NLL) with a NumPy float64 log-softmax (max-subtracted log-sum-exp)."""
    z = logits.double().numpy()
    y = targets.numpy()
    if shift:
        z, y = z[..., :-1, :], y[..., 1:]
    z = z.reshape(-1, z.shape[-1])
    y = y.reshape(-1)
    keep = y != ignore_index
    z, y = z[keep], y[keep]
    m = z.max(axis=1, keepdims=True)
    log_softmax = z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))
    return math.exp(-log_softmax[np.arange(len(y)), y].mean())


@pytest.mark.parametrize("seed", range(5))
def test_perplexity_matches_exp_cross_entropy_and_float64_reference(seed):
    logits, targets = random_lm_batch(seed, batch=1 + seed, length=2 + 3 * seed)
    got = ppl.perplexity(logits, targets).item()
    V = logits.shape[-1]
    ce = F.cross_entropy(logits[:, :-1].reshape(-1, V), targets[:, 1:].reshape(-1), ignore_index=-100)
    expected = reference_ppl_float64(logits, targets)
    record("perplexity-torch vs exp(F.cross_entropy) (float64)", abs(got - math.exp(ce.item())))
    record("perplexity-torch vs NumPy float64 log-softmax", abs(got - expected))
    # float64 throughout: agreement to rounding
    assert got == pytest.approx(math.exp(ce.item()), rel=1e-12)
    assert got == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_perplexity_float32_and_unshifted_and_2d_inputs(seed):
    logits, targets = random_lm_batch(20 + seed, dtype=torch.float32)
    got = ppl.perplexity(logits, targets)
    assert got.dtype == torch.float32
    expected = reference_ppl_float64(logits, targets)
    record("perplexity-torch float32 vs float64 reference (relative)", abs(got.item() - expected) / expected)
    assert got.item() == pytest.approx(expected, rel=1e-5)  # float32 log-softmax and sum: ~1e-6 relative
    # shift=False scores every position against its own target
    V = logits.shape[-1]
    unshifted = F.cross_entropy(logits.double().reshape(-1, V), targets.reshape(-1), ignore_index=-100)
    assert ppl.perplexity(logits.double(), targets, shift=False).item() == pytest.approx(math.exp(unshifted.item()), rel=1e-12)
    # a single sequence (T, V) and a custom ignore index
    t2 = targets[0].clone()
    t2[t2 == -100] = -1
    ce = F.cross_entropy(logits[0, :-1].double(), t2[1:], ignore_index=-1)
    assert ppl.perplexity(logits[0].double(), t2, ignore_index=-1).item() == pytest.approx(math.exp(ce.item()), rel=1e-12)


def test_perplexity_shift_is_by_exactly_one():
    # Each position puts all its mass on the *next* token: shifted PPL is 1, unshifted is huge.
    ids = torch.tensor([[3, 1, 4, 1, 5, 2]])
    logits = torch.full((1, 6, 6), -50.0, dtype=torch.float64)
    logits[0, torch.arange(5), ids[0, 1:]] = 50.0
    assert ppl.perplexity(logits, ids).item() == pytest.approx(1.0, abs=1e-12)
    assert ppl.perplexity(logits, ids, shift=False).item() > 1e10


def test_perplexity_of_uniform_logits_is_the_vocabulary_size_and_offsets_are_harmless():
    logits, targets = random_lm_batch(3)
    assert ppl.perplexity(torch.zeros_like(logits), targets).item() == pytest.approx(17, rel=1e-12)
    shifted = ppl.perplexity((logits + 1e4).float(), targets).item()
    assert shifted == pytest.approx(reference_ppl_float64(logits, targets), rel=1e-3)


def test_perplexity_worked_example_and_half_precision():
    probs = [0.5, 0.25, 0.125, 0.5]
    logits = torch.log(torch.tensor([[p, 1 - p] for p in probs] + [[0.5, 0.5]], dtype=torch.float64))[None]
    targets = torch.tensor([[0, 0, 0, 0, 0]])
    assert ppl.perplexity(logits, targets).item() == pytest.approx(2 ** 1.75, rel=1e-12)
    half = ppl.perplexity(logits.half(), targets)
    assert torch.isfinite(half) and half.item() == pytest.approx(2 ** 1.75, rel=1e-3)


def test_corpus_perplexity_sums_nll_and_tokens_over_batches():
    a, ta = random_lm_batch(30, batch=2, length=4)
    b, tb = random_lm_batch(31, batch=5, length=11)
    got = ppl.corpus_perplexity([(a, ta), (b, tb)])
    V = a.shape[-1]
    nll = (F.cross_entropy(a[:, :-1].reshape(-1, V), ta[:, 1:].reshape(-1), reduction="sum")
           + F.cross_entropy(b[:, :-1].reshape(-1, V), tb[:, 1:].reshape(-1), reduction="sum"))
    count = (ta[:, 1:] != -100).sum() + (tb[:, 1:] != -100).sum()
    expected = math.exp((nll / count).item())
    record("perplexity-torch corpus vs summed F.cross_entropy", abs(got - expected))
    assert got == pytest.approx(expected, rel=1e-12)
    wrong = math.exp((math.log(ppl.perplexity(a, ta).item()) + math.log(ppl.perplexity(b, tb).item())) / 2)
    assert abs(wrong - got) > 1e-3  # averaging batch losses is a different (wrong) number


def test_perplexity_invalid_inputs_raise():
    logits, targets = random_lm_batch(0)
    with pytest.raises(ValueError):
        ppl.perplexity(logits, targets[:, :-1])
    with pytest.raises(ValueError):
        ppl.perplexity(logits, torch.full_like(targets, -100))
    with pytest.raises(ValueError):
        ppl.perplexity(logits[:, :1], targets[:, :1])  # nothing to predict after the shift
    bad = targets.clone()
    bad[0, 1] = 17
    with pytest.raises(ValueError):
        ppl.perplexity(logits, bad)
    with pytest.raises(ValueError):
        ppl.perplexity(logits, targets.double())
    with pytest.raises(ValueError):
        ppl.perplexity(torch.randn(5), torch.tensor([1]))
    with pytest.raises(ValueError):
        ppl.corpus_perplexity([(logits, torch.full_like(targets, -100))])


# ---------------------------------------------------------------- ema-weights-torch

def small_net(seed=0, dtype=torch.float64):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2)).to(dtype)


def ema_avg_fn(decay, warmup):
    def avg_fn(averaged, current, num_averaged):
        if not averaged.is_floating_point():
            return current  # integer buffers are copied
        # AveragedModel's first call copies the model; num_averaged = 1 at the first real update
        t = int(num_averaged) - 1
        d = min(decay, (1 + t) / (10 + t)) if warmup else decay
        return d * averaged + (1 - d) * current
    return avg_fn


def train_steps(model, steps, seed, callback):
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    g = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        x = torch.randn(16, 4, generator=g, dtype=torch.float64)
        loss = model(x).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        callback()


@pytest.mark.parametrize("decay,warmup,buffers", [(0.9, False, False), (0.99, True, False), (0.8, False, True),
                                                  (0.999, True, True)])
def test_ema_matches_averaged_model_with_an_ema_avg_fn(decay, warmup, buffers):
    model = small_net()
    ema = ema_mod.EMA(model, decay=decay, warmup=warmup, include_buffers=buffers)
    swa = AveragedModel(model, avg_fn=ema_avg_fn(decay, warmup), use_buffers=buffers)
    swa.update_parameters(model)  # n_averaged 0 -> 1: a plain copy, the EMA's starting point

    def both():
        ema.update(model)
        swa.update_parameters(model)

    train_steps(model, 40, seed=1, callback=both)
    reference = dict(swa.module.named_parameters())
    if buffers:
        reference.update(swa.module.named_buffers())
    assert set(ema.shadow) == set(reference)
    diff = max((ema.shadow[k] - reference[k]).abs().max().item() for k in reference)
    record("ema-weights-torch vs AveragedModel(avg_fn=EMA) (float64)", diff)
    assert diff < 1e-12  # float64; lerp and d*a + (1-d)*b differ only in rounding
    # and the EMA really is different from the trained weights
    assert max((ema.shadow[k] - v).abs().max().item() for k, v in model.named_parameters()) > 1e-3
    if buffers:
        assert ema.shadow["1.num_batches_tracked"].item() == 40  # integer buffer copied, not averaged
    else:
        assert "1.running_mean" not in ema.shadow


@pytest.mark.parametrize("decay,warmup", [(0.9, False), (0.5, False), (0.999, True), (0.95, True)])
def test_ema_of_constant_parameters_follows_the_closed_form(decay, warmup):
    model = small_net(seed=3)
    start = {k: v.detach().clone() for k, v in model.named_parameters()}
    ema = ema_mod.EMA(model, decay=decay, warmup=warmup)
    with torch.no_grad():
        for p in model.parameters():
            p.fill_(2.5)
    keep_start = 1.0  # prod of the decays = weight left on the starting weights
    for t in range(60):
        d = min(decay, (1 + t) / (10 + t)) if warmup else decay
        assert ema.current_decay() == pytest.approx(d, abs=1e-15)
        keep_start *= d
        ema.update(model)
    if not warmup:
        assert keep_start == pytest.approx(decay ** 60, rel=1e-12)
    diff = max((ema.shadow[k] - (keep_start * start[k] + (1 - keep_start) * 2.5)).abs().max().item() for k in start)
    record("ema-weights-torch vs closed form (float64)", diff)
    assert diff < 1e-12


def test_ema_copy_to_averaged_model_and_state_dict():
    model = small_net(seed=5)
    ema = ema_mod.EMA(model, decay=0.9, include_buffers=True)
    train_steps(model, 5, seed=2, callback=lambda: ema.update(model))
    frozen = ema.averaged_model(model)
    assert not frozen.training and not any(p.requires_grad for p in frozen.parameters())
    for k, v in list(frozen.named_parameters()) + list(frozen.named_buffers()):
        assert torch.equal(v, ema.shadow[k])
    assert model.training  # the trained model is left alone
    restored = ema_mod.EMA(small_net(seed=9), decay=0.9, include_buffers=True)
    restored.load_state_dict(ema.state_dict())
    assert restored.num_updates == 5
    assert all(torch.equal(restored.shadow[k], v) for k, v in ema.shadow.items())


def test_ema_without_buffers_tracks_only_parameters():
    model = small_net()
    ema = ema_mod.EMA(model, decay=0.9)
    assert set(ema.shadow) == {k for k, _ in model.named_parameters()}


def test_ema_of_a_half_precision_model_keeps_float32_shadows():
    model = nn.Linear(3, 3).half()
    ema = ema_mod.EMA(model, decay=0.999)
    assert all(v.dtype == torch.float32 for v in ema.shadow.values())
    with torch.no_grad():
        model.weight.add_(0.01)
    before = ema.shadow["weight"].clone()
    ema.update(model)
    # a step of 1e-5 would be rounded away in float16 (spacing ~5e-4 near 0.5)
    assert ((ema.shadow["weight"] - before).abs() > 5e-6).all()


def test_ema_invalid_arguments_raise():
    with pytest.raises(ValueError):
        ema_mod.EMA(nn.Linear(2, 2), decay=-0.1)
    with pytest.raises(ValueError):
        ema_mod.EMA(nn.Linear(2, 2), decay=1.5)
    ema = ema_mod.EMA(nn.Linear(2, 2), decay=0.9)
    with pytest.raises(ValueError):
        ema.update(nn.Linear(2, 3))
    with pytest.raises(ValueError):
        ema.update(nn.Sequential(nn.Linear(2, 2)))


# ---------------------------------------------------------------- precision-recall-f1-numpy

def random_labels(seed, n, k, pred_k=None):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, k, n)
    y_pred = np.where(rng.random(n) < 0.6, y_true, rng.integers(0, pred_k or k, n))
    return y_true, y_pred


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("average", [None, "macro", "micro", "weighted"])
@pytest.mark.parametrize("zero_division", [0, 1])
def test_prf_matches_sklearn(seed, average, zero_division):
    # seeds give 1..6 true classes, small n (so some classes are never predicted) and predictions
    # of classes that never occur in y_true
    y_true, y_pred = random_labels(seed, n=[1, 7, 20, 50, 200, 9][seed], k=seed + 1, pred_k=seed + 2)
    got = prf.precision_recall_f1(y_true, y_pred, average=average, zero_division=zero_division)
    expected = skm.precision_recall_fscore_support(y_true, y_pred, average=average, zero_division=zero_division)
    for g, e in zip(got[:3], expected[:3]):
        diff = np.abs(np.asarray(g) - np.asarray(e)).max()
        record("precision-recall-f1-numpy vs sklearn precision_recall_fscore_support", diff)
        assert diff < 1e-12  # float64 ratios of the same integer counts
    if average is None:
        assert np.array_equal(got[3], expected[3])
    else:
        assert got[3] is None


@pytest.mark.parametrize("average", [None, "macro", "micro", "weighted"])
@pytest.mark.parametrize("labels", [[2, 0], [0, 1, 2, 3, 7], [5], [4], [3, 1]])  # 4: predicted, never true
def test_prf_with_explicit_labels_matches_sklearn(average, labels):
    y_true, y_pred = random_labels(11, n=40, k=4, pred_k=5)
    for zd in (0, 1):
        got = prf.precision_recall_f1(y_true, y_pred, labels=labels, average=average, zero_division=zd)
        expected = skm.precision_recall_fscore_support(y_true, y_pred, labels=labels, average=average, zero_division=zd)
        for g, e in zip(got[:3], expected[:3]):
            diff = np.abs(np.asarray(g) - np.asarray(e)).max()
            record("precision-recall-f1-numpy vs sklearn precision_recall_fscore_support", diff)
            assert diff < 1e-12


@pytest.mark.parametrize("seed", range(4))
def test_binary_average_and_string_labels_match_sklearn(seed):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 2, 30)
    y_pred = rng.integers(0, 2, 30) if seed else np.zeros(30, dtype=int)  # seed 0: nothing predicted
    for zd in (0, 1):
        for pos_label in (0, 1):
            got = prf.precision_recall_f1(y_true, y_pred, average="binary", pos_label=pos_label, zero_division=zd)
            expected = skm.precision_recall_fscore_support(y_true, y_pred, average="binary", pos_label=pos_label,
                                                           zero_division=zd)
            assert np.allclose(got[:3], expected[:3], atol=1e-12, rtol=0)
    names = np.array(["ham", "spam", "eggs"])
    t, p = names[rng.integers(0, 3, 25)], names[rng.integers(0, 3, 25)]
    got = prf.precision_recall_f1(t, p)
    expected = skm.precision_recall_fscore_support(t, p, zero_division=0)
    for g, e in zip(got, expected):
        assert np.allclose(g, e, atol=1e-12, rtol=0)
    assert np.array_equal(prf.confusion_matrix(t, p), skm.confusion_matrix(t, p))


@pytest.mark.parametrize("seed", range(5))
def test_confusion_matrix_matches_sklearn(seed):
    y_true, y_pred = random_labels(seed, n=[1, 5, 30, 100, 300][seed], k=seed + 2, pred_k=seed + 3)
    assert np.array_equal(prf.confusion_matrix(y_true, y_pred), skm.confusion_matrix(y_true, y_pred))
    labels = list(range(seed + 3))[::-1]
    assert np.array_equal(prf.confusion_matrix(y_true, y_pred, labels=labels),
                          skm.confusion_matrix(y_true, y_pred, labels=labels))
    sub = [int(y_true[0]), seed + 9]  # a subset, plus a label that never occurs
    assert np.array_equal(prf.confusion_matrix(y_true, y_pred, labels=sub), skm.confusion_matrix(y_true, y_pred, labels=sub))


def test_prf_worked_examples_and_micro_equals_accuracy():
    y = [1, 0, 1, 1, 0, 1, 0, 0, 1, 1]
    yh = [1, 0, 0, 1, 1, 1, 0, 0, 1, 0]
    assert prf.confusion_matrix(y, yh).ravel().tolist() == [3, 1, 2, 4]
    p, r, f, _ = prf.precision_recall_f1(y, yh, average="binary")
    assert (p, r) == pytest.approx((0.8, 4 / 6)) and f == pytest.approx(8 / 11)
    y_true, y_pred = random_labels(3, n=500, k=5)
    accuracy = np.mean(y_true == y_pred)
    assert prf.precision_recall_f1(y_true, y_pred, average="micro")[:3] == pytest.approx((accuracy,) * 3, abs=1e-12)


def test_prf_invalid_inputs_raise():
    with pytest.raises(ValueError):
        prf.precision_recall_f1([0, 1], [0, 1, 1])
    with pytest.raises(ValueError):
        prf.precision_recall_f1([], [])
    with pytest.raises(ValueError):
        prf.precision_recall_f1([0, 1], [0, 1], average="samples")
    with pytest.raises(ValueError):
        prf.precision_recall_f1([0, 1], [0, 1], zero_division=2)
    with pytest.raises(ValueError):
        prf.precision_recall_f1([0, 1, 2], [0, 1, 2], average="binary")
    with pytest.raises(ValueError):
        prf.precision_recall_f1([0, 2], [2, 0], average="binary", pos_label=1)
    with pytest.raises(ValueError):
        prf.confusion_matrix([0, 1], [0, 1], labels=[0, 0])
    with pytest.raises(ValueError):
        prf.confusion_matrix([[0, 1]], [[0, 1]])


# ---------------------------------------------------------------- roc-auc-numpy

def score_cases(seed):
    rng = np.random.default_rng(seed)
    n = [2, 10, 57, 400, 1000, 300][seed]
    y = rng.integers(0, 2, n)
    if seed == 4:
        y = (rng.random(n) < 0.002).astype(int)  # very unbalanced: ~2 positives in 1000
    if seed == 5:
        y = (rng.random(n) < 0.99).astype(int)   # almost all positive
    y[0], y[-1] = 0, 1                            # both classes present
    s = rng.normal(size=n) + 0.8 * y
    ties = np.round(s, 1)                         # many tied scores, mixed classes
    return y, s, ties


def pairwise_auc(y, s):
    """The definition: fraction of correctly ordered (positive, negative) pairs, ties 1/2."""
    pos, neg = s[y == 1][:, None], s[y == 0][None, :]
    return ((pos > neg) + 0.5 * (pos == neg)).mean()


@pytest.mark.parametrize("seed", range(6))
def test_roc_auc_matches_sklearn_and_the_pairwise_definition(seed):
    y, s, ties = score_cases(seed)
    for scores in (s, ties, np.zeros_like(s)):
        got = roc.roc_auc(y, scores)
        diff = abs(got - skm.roc_auc_score(y, scores))
        record("roc-auc-numpy vs sklearn roc_auc_score", diff)
        # float64: rank sums are exact integers/halves, the one division rounds
        assert diff < 1e-12
        assert got == pytest.approx(pairwise_auc(y, scores), abs=1e-12)
    assert roc.roc_auc(y, np.zeros_like(s)) == 0.5
    assert roc.roc_auc(y.astype(bool), np.exp(s)) == pytest.approx(roc.roc_auc(y, s), abs=1e-15)  # rank-based


@pytest.mark.parametrize("seed", range(6))
def test_roc_curve_matches_sklearn(seed):
    y, s, ties = score_cases(seed)
    for scores in (s, ties):
        fpr, tpr, thr = roc.roc_curve(y, scores)
        e_fpr, e_tpr, e_thr = skm.roc_curve(y, scores, drop_intermediate=False)
        diff = max(np.abs(fpr - e_fpr).max(), np.abs(tpr - e_tpr).max())
        record("roc-auc-numpy roc_curve vs sklearn roc_curve", diff)
        assert fpr.shape == e_fpr.shape and diff < 1e-12
        # sklearn 1.2 puts max + 1 as the first threshold, newer versions inf; both mean "nothing positive"
        assert thr[0] == np.inf and np.array_equal(thr[1:], e_thr[1:])
        assert np.trapz(tpr, fpr) == pytest.approx(roc.roc_auc(y, scores), abs=1e-12)


def test_roc_worked_example():
    y, s = [1, 1, 1, 0, 0, 0], [0.9, 0.7, 0.4, 0.6, 0.3, 0.2]
    assert roc.roc_auc(y, s) == pytest.approx(8 / 9, abs=1e-15)
    fpr, tpr, _ = roc.roc_curve(y, s)
    points = list(zip(fpr, tpr))
    for point in [(0, 1 / 3), (0, 2 / 3), (1 / 3, 2 / 3), (1 / 3, 1), (1, 1)]:
        assert any(np.allclose(point, q) for q in points)
    assert roc.roc_auc(y, [1, 1, 0, 1, 0, 0]) == pytest.approx(skm.roc_auc_score(y, [1, 1, 0, 1, 0, 0]))


def test_average_ranks_match_scipy():
    x = np.round(np.random.default_rng(0).normal(size=200), 1)
    assert np.array_equal(roc.average_ranks(x), stats.rankdata(x))


def test_roc_invalid_inputs_raise():
    with pytest.raises(ValueError, match="Only one class"):
        roc.roc_auc([1, 1, 1], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError):
        skm.roc_auc_score([1, 1, 1], [0.1, 0.2, 0.3])  # the peer raises too
    with pytest.raises(ValueError, match="Only one class"):
        roc.roc_curve([0, 0], [0.1, 0.2])
    for y, s in [([0, 1], [0.1]), ([], []), ([0, 2], [0.1, 0.2]), ([0, 1], [0.1, np.nan]), ([[0, 1]], [[0.1, 0.2]])]:
        with pytest.raises(ValueError):
            roc.roc_auc(y, s)


# ---------------------------------------------------------------- average-precision-numpy

@pytest.mark.parametrize("seed", range(6))
def test_average_precision_matches_sklearn(seed):
    y, s, ties = score_cases(seed)
    for scores in (s, ties, np.zeros_like(s)):
        got = ap.average_precision(y, scores)
        diff = abs(got - skm.average_precision_score(y, scores))
        record("average-precision-numpy vs sklearn average_precision_score", diff)
        assert diff < 1e-12  # float64 sums of the same ratios, in a different order
    assert ap.average_precision(y, np.zeros_like(s)) == pytest.approx(y.mean(), abs=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_precision_recall_curve_matches_sklearn(seed):
    y, s, ties = score_cases(seed)
    for scores in (s, ties):
        p, r, t = ap.precision_recall_curve(y, scores)
        e_p, e_r, e_t = skm.precision_recall_curve(y, scores)
        # sklearn lists increasing thresholds and appends the point (R, P) = (0, 1)
        diff = max(np.abs(p - e_p[:-1][::-1]).max(), np.abs(r - e_r[:-1][::-1]).max())
        record("average-precision-numpy precision_recall_curve vs sklearn", diff)
        assert diff < 1e-12 and np.array_equal(t, e_t[::-1])


@pytest.mark.parametrize("seed", range(4))
def test_ap_without_ties_is_the_mean_precision_at_the_positives(seed):
    y, s, _ = score_cases(seed + 1)
    ranked = y[np.argsort(-s)]
    hits = np.cumsum(ranked)
    precision_at_positives = (hits / np.arange(1, len(y) + 1))[ranked == 1]
    assert ap.average_precision(y, s) == pytest.approx(precision_at_positives.mean(), abs=1e-12)


def test_ap_differs_from_the_trapezoidal_area():
    labels = np.array([1, 0, 1, 1, 0, 0, 1, 0])
    scores = np.linspace(1.0, 0.3, 8)
    assert ap.average_precision(labels, scores) == pytest.approx(0.25 * (1 + 2 / 3 + 3 / 4 + 4 / 7), abs=1e-15)
    p, r, _ = skm.precision_recall_curve(labels, scores)
    trapezoid = skm.auc(r, p)
    assert ap.trapezoidal_pr_area(labels, scores) == pytest.approx(trapezoid, abs=1e-12)
    assert trapezoid == pytest.approx(0.7068, abs=1e-4)
    assert abs(ap.average_precision(labels, scores) - trapezoid) > 0.03
    y, s, ties = score_cases(3)
    p, r, _ = skm.precision_recall_curve(y, ties)
    assert ap.trapezoidal_pr_area(y, ties) == pytest.approx(skm.auc(r, p), abs=1e-12)


def test_ap_invalid_inputs_raise():
    with pytest.raises(ValueError, match="no positive"):
        ap.average_precision([0, 0, 0], [0.1, 0.2, 0.3])
    for y, s in [([0, 1], [0.1]), ([], []), ([0, 3], [0.1, 0.2]), ([0, 1], [np.inf, 0.2])]:
        with pytest.raises(ValueError):
            ap.average_precision(y, s)
    # only positives is fine: every threshold has precision 1
    assert ap.average_precision([1, 1], [0.3, 0.1]) == 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert skm.average_precision_score([1, 1], [0.3, 0.1]) == 1.0
