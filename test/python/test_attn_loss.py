"""Softmax / log-sum-exp, cross-entropy, scaled dot-product and multi-head attention, PE and RoPE.

Peers: scipy.special and torch (softmax family), torch.nn.functional.cross_entropy, an independent
float64 NumPy attention and nn.MultiheadAttention with the same weights (torch 1.13 has no
F.scaled_dot_product_attention), and the defining formulas (explicit rotation matrices, complex
multiplication) for PE / RoPE. Tolerances: float64 against float64 ~1e-12 (a few ulps times the
size of the sums); float32 against float64 ~1e-5 (float32 eps 1.2e-7 times the growth of
dot products and sums of a few dozen terms). Largest differences are printed at module end.
"""
import math

import numpy as np
import pytest
import scipy.special
import torch
import torch.nn.functional as F
from torch import nn

from conftest import load_snippet, record

sm = load_snippet("softmax-logsumexp-numpy")
ce = load_snippet("cross-entropy-numpy")
sdpa = load_snippet("scaled-dot-product-attention-torch")
mha = load_snippet("multi-head-attention-torch")
rope = load_snippet("positional-encoding-rope-torch")

def maxabs(a, b):
    a = a.detach().cpu().numpy() if torch.is_tensor(a) else np.asarray(a)
    b = b.detach().cpu().numpy() if torch.is_tensor(b) else np.asarray(b)
    return float(np.max(np.abs(a - b))) if a.size else 0.0


# ---------------------------------------------------------------- softmax / log-sum-exp

SHAPES_AXES = [((1,), -1), ((7,), 0), ((3, 5), -1), ((3, 5), 0), ((2, 3, 4), 1), ((4, 1), -1)]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("shape,axis", SHAPES_AXES)
@pytest.mark.parametrize("offset", [0.0, 1000.0, -1000.0])
def test_softmax_family_matches_scipy_and_torch(seed, shape, axis, offset):
    x = np.random.default_rng(seed).normal(scale=5.0, size=shape) + offset
    t = torch.from_numpy(x)
    pairs = [
        ("logsumexp vs scipy", sm.logsumexp(x, axis), scipy.special.logsumexp(x, axis=axis)),
        ("logsumexp vs torch", sm.logsumexp(x, axis), torch.logsumexp(t, dim=axis).numpy()),
        ("softmax vs scipy", sm.softmax(x, axis), scipy.special.softmax(x, axis=axis)),
        ("softmax vs torch", sm.softmax(x, axis), torch.softmax(t, dim=axis).numpy()),
        ("log_softmax vs scipy", sm.log_softmax(x, axis), scipy.special.log_softmax(x, axis=axis)),
        ("log_softmax vs torch", sm.log_softmax(x, axis), torch.log_softmax(t, dim=axis).numpy()),
    ]
    for name, got, want in pairs:
        assert got.shape == want.shape, name
        # float64 vs float64; |LSE| ~ 1000 here, so allow a relative 1e-13 on top of 1e-12
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-12, err_msg=name)
        record(name, maxabs(got, want))
    keep = sm.logsumexp(x, axis, keepdims=True)
    assert keep.shape == tuple(1 if i == axis % len(shape) else n for i, n in enumerate(shape))


def test_softmax_float32_stays_float32_and_matches_torch():
    x = np.random.default_rng(5).normal(scale=30.0, size=(6, 50)).astype(np.float32)
    p = sm.softmax(x)
    assert p.dtype == np.float32
    want = torch.softmax(torch.from_numpy(x), dim=-1).numpy()
    # float32 vs float32: both round exp and the sum; differences stay at a few float32 ulps
    np.testing.assert_allclose(p, want, atol=1e-6)
    record("softmax float32 vs torch", maxabs(p, want))
    np.testing.assert_allclose(sm.logsumexp(x), torch.logsumexp(torch.from_numpy(x), -1).numpy(), rtol=1e-6)


def test_no_overflow_and_no_log_of_zero():
    x = np.array([1000.0, 1001.0, 1002.0])
    assert sm.logsumexp(x) == pytest.approx(1002.4076059644444, abs=1e-12)
    assert np.allclose(sm.softmax(x), sm.softmax(x - 1002.0), atol=1e-15)
    z = np.array([0.0, -200.0], dtype=np.float32)   # exp(-200) underflows in float32
    logp = sm.log_softmax(z)
    assert np.isfinite(logp).all() and logp[1] == pytest.approx(-200.0, abs=1e-4)
    assert sm.softmax(np.array([800.0, 0.0]))[0] == 1.0


def test_worked_example_of_the_concept_page():
    z = np.array([2.0, 1.0, 0.1])
    np.testing.assert_allclose(sm.softmax(z), [0.6590, 0.2424, 0.0986], atol=5e-5)
    np.testing.assert_allclose(sm.log_softmax(z), [-0.4170, -1.4170, -2.3170], atol=5e-5)
    np.testing.assert_allclose(sm.softmax(z / 2.0), [0.5017, 0.3043, 0.1940], atol=5e-5)


def test_gradient_of_logsumexp_is_softmax():
    rng = np.random.default_rng(6)
    x = rng.normal(size=(3, 6))
    h = 1e-6
    grad = np.zeros_like(x)
    for j in range(x.shape[1]):
        e = np.zeros_like(x)
        e[:, j] = h
        grad[:, j] = (sm.logsumexp(x + e, axis=1) - sm.logsumexp(x - e, axis=1)) / (2 * h)
    # central differences: truncation O(h^2) and rounding O(eps / h) ~ 1e-10
    np.testing.assert_allclose(grad, sm.softmax(x, axis=1), atol=1e-8)
    assert np.allclose(sm.softmax(x, axis=1).sum(axis=1), 1.0, atol=1e-15)


def test_masked_entries_and_fully_masked_rows():
    x = np.array([[0.5, -np.inf, 1.5], [-np.inf, -np.inf, -np.inf]])
    lse = sm.logsumexp(x, axis=1)
    np.testing.assert_allclose(lse, scipy.special.logsumexp(x, axis=1))
    assert lse[1] == -np.inf and lse[0] == pytest.approx(np.log(np.exp(0.5) + np.exp(1.5)))
    p = sm.softmax(x, axis=1)
    assert p[0, 1] == 0.0 and p[0].sum() == pytest.approx(1.0)
    # no distribution exists over an all -inf row: nan, exactly like torch.softmax
    assert np.isnan(p[1]).all() and torch.softmax(torch.from_numpy(x), 1)[1].isnan().all()
    assert np.isnan(sm.log_softmax(x, axis=1)[1]).all()
    assert sm.logsumexp(np.array([1.0, np.inf])) == np.inf


def test_integer_input_is_promoted():
    assert sm.softmax(np.array([1, 2, 3])).dtype == np.float64
    assert sm.logsumexp([0, 0]) == pytest.approx(math.log(2))


@pytest.mark.parametrize("fn", [sm.softmax, sm.log_softmax, sm.logsumexp])
def test_softmax_family_rejects_bad_input(fn):
    with pytest.raises(ValueError, match="scalar"):
        fn(np.float64(1.0))
    with pytest.raises(ValueError, match="empty"):
        fn(np.zeros((3, 0)))
    with pytest.raises(ValueError, match="out of range"):
        fn(np.zeros((3, 2)), 2)


# ---------------------------------------------------------------- cross-entropy

def random_case(seed, shape, n_classes, ignore_index=-100, p_ignore=0.3):
    rng = np.random.default_rng(seed)
    logits = rng.normal(scale=3.0, size=(shape[0], n_classes, *shape[1:]) if shape else (n_classes,))
    target = rng.integers(0, n_classes, size=shape)
    target = np.where(rng.random(size=shape) < p_ignore, ignore_index, target)
    return logits, np.asarray(target)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("shape,n_classes", [((8,), 5), ((1,), 1), ((4, 3, 2), 7), ((), 4), ((16,), 2)])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1, 0.37, 1.0])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_matches_torch(seed, shape, n_classes, label_smoothing, reduction):
    for ignore_index in (-100, 0):
        logits, target = random_case(seed, shape, n_classes, ignore_index)
        if reduction == "mean" and np.all(target == ignore_index):
            target = np.zeros_like(target) + (1 if n_classes > 1 and ignore_index == 0 else 0)
            if np.all(target == ignore_index):
                continue
        got = ce.cross_entropy(logits, target, ignore_index=ignore_index,
                               label_smoothing=label_smoothing, reduction=reduction)
        want = F.cross_entropy(torch.from_numpy(logits), torch.as_tensor(target).long(),
                               ignore_index=ignore_index, label_smoothing=label_smoothing,
                               reduction=reduction).numpy()
        # float64 on both sides; sums of at most ~50 terms of size ~10
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
        record("cross_entropy vs F.cross_entropy", maxabs(got, want))


def test_mean_divides_by_the_number_of_kept_targets():
    logits, _ = random_case(7, (10,), 4)
    target = np.array([0, 1, -100, 3, -100, -100, 2, 0, -100, 1])
    per = ce.cross_entropy(logits, target, reduction="none", label_smoothing=0.2)
    assert np.all(per[target == -100] == 0.0)
    mean = ce.cross_entropy(logits, target, label_smoothing=0.2)
    assert mean == pytest.approx(per.sum() / 6, rel=1e-14)
    assert mean != pytest.approx(per.sum() / 10)
    want = F.cross_entropy(torch.from_numpy(logits), torch.from_numpy(target), label_smoothing=0.2)
    assert mean == pytest.approx(want.item(), rel=1e-12)


def test_all_targets_ignored_gives_nan_like_torch():
    logits, _ = random_case(8, (3,), 4)
    target = np.full(3, -100)
    assert math.isnan(ce.cross_entropy(logits, target))
    assert ce.cross_entropy(logits, target, reduction="sum") == 0.0
    assert torch.isnan(F.cross_entropy(torch.from_numpy(logits), torch.from_numpy(target)))


def test_cross_entropy_worked_examples():
    logits = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]])
    np.testing.assert_allclose(ce.cross_entropy(logits, np.array([0, 2]), reduction="none"),
                               [0.4170, 3.6532], atol=5e-5)
    assert ce.cross_entropy(logits, np.array([0, 2])) == pytest.approx(2.0351, abs=5e-5)
    assert ce.cross_entropy(logits[0], np.array(0), label_smoothing=0.1) == pytest.approx(0.5137, abs=5e-5)
    # the optimum of the smoothed loss is p = q, where the loss equals the entropy of q (0.2911)
    q = np.array([0.9 + 0.1 / 3, 0.1 / 3, 0.1 / 3])
    assert ce.cross_entropy(np.log(q), np.array(0), label_smoothing=0.1) == pytest.approx(-(q * np.log(q)).sum(), rel=1e-12)


def test_cross_entropy_large_logits_stay_finite():
    logits = np.array([[1e4, 0.0, -1e4], [-5e3, 5e3, 0.0]])
    got = ce.cross_entropy(logits, np.array([2, 1]), reduction="none", label_smoothing=0.1)
    want = F.cross_entropy(torch.from_numpy(logits), torch.tensor([2, 1]), reduction="none", label_smoothing=0.1)
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got, want.numpy(), rtol=1e-12)


@pytest.mark.parametrize("kwargs,match", [
    (dict(target=np.array([0, 3])), r"\[0, 3\)"),
    (dict(target=np.array([0, -1])), r"\[0, 3\)"),
    (dict(label_smoothing=-0.1), "label_smoothing"),
    (dict(label_smoothing=1.5), "label_smoothing"),
    (dict(reduction="avg"), "reduction"),
    (dict(target=np.array([0.0, 1.0])), "integer"),
    (dict(target=np.array([0, 1, 2])), "shape"),
    (dict(logits=np.zeros((0, 3)), target=np.zeros(0, dtype=int)), "empty"),
    (dict(logits=np.zeros((2, 0)), target=np.array([-100, -100])), "empty"),
    (dict(logits=np.float64(1.0), target=np.array(0)), "scalar"),
])
def test_cross_entropy_rejects_bad_input(kwargs, match):
    args = dict(logits=np.zeros((2, 3)), target=np.array([0, 1]))
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        ce.cross_entropy(**args)


# ---------------------------------------------------------------- scaled dot-product attention

def numpy_attention(q, k, v, allowed, bias=None, scale=None):
    """Independent float64 reference: explicit loops, softmax over the allowed keys only."""
    q, k, v = (np.asarray(t, dtype=np.float64) for t in (q, k, v))
    batch = q.shape[:-2]
    L, S = q.shape[-2], k.shape[-2]
    allowed = np.broadcast_to(allowed, batch + (L, S))
    bias = np.zeros(batch + (L, S)) if bias is None else np.broadcast_to(bias, batch + (L, S))
    scale = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    out = np.zeros(batch + (L, v.shape[-1]))
    weights = np.zeros(batch + (L, S))
    for idx in np.ndindex(*batch):
        for i in range(L):
            keys = [j for j in range(S) if allowed[idx][i, j] and bias[idx][i, j] != -np.inf]
            if not keys:
                continue   # the documented behaviour: no visible key -> zero weights and output
            s = np.array([q[idx][i] @ k[idx][j] * scale + bias[idx][i, j] for j in keys])
            w = np.exp(s - s.max())
            w /= w.sum()
            weights[idx][i, keys] = w
            out[idx][i] = w @ v[idx][keys]
    return out, weights


def random_qkv(seed, batch, L, S, d, dv, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    q, k = torch.randn(*batch, L, d, generator=g, dtype=dtype), torch.randn(*batch, S, d, generator=g, dtype=dtype)
    v = torch.randn(*batch, S, dv, generator=g, dtype=dtype)
    return q, k, v, g


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("batch,L,S,d,dv", [((), 1, 1, 1, 1), ((2, 3), 5, 7, 8, 4), ((4,), 6, 6, 16, 16), ((1, 2), 3, 1, 5, 2)])
@pytest.mark.parametrize("mask_kind", ["none", "bool", "float", "causal"])
def test_sdpa_matches_float64_reference(seed, batch, L, S, d, dv, mask_kind):
    q, k, v, g = random_qkv(seed, batch, L, S, d, dv)
    allowed, bias, kwargs = np.ones((L, S), bool), None, {}
    if mask_kind == "bool":
        m = torch.rand(*batch, L, S, generator=g) < 0.6
        m[..., 0] = True   # every row keeps one key here; fully masked rows are tested below
        allowed, kwargs = m.numpy(), dict(attn_mask=m)
    elif mask_kind == "float":
        lead = (1,) if batch else ()   # broadcasts over the batch
        b = torch.randn(*lead, L, S, generator=g, dtype=torch.float64)
        b[..., 1:][torch.rand(*lead, L, S - 1, generator=g) < 0.3] = float("-inf")
        bias, kwargs = b.numpy(), dict(attn_mask=b)
    elif mask_kind == "causal":
        allowed, kwargs = np.tril(np.ones((L, S), bool)), dict(is_causal=True)
    want_out, want_w = numpy_attention(q, k, v, allowed, bias)
    got_out = sdpa.scaled_dot_product_attention(q, k, v, **kwargs)
    got_w = sdpa.attention_weights(q, k, **kwargs)
    # float64 vs float64: sums of <= 16 products of O(1) numbers
    np.testing.assert_allclose(got_out.numpy(), want_out, atol=1e-12)
    np.testing.assert_allclose(got_w.numpy(), want_w, atol=1e-12)
    record("sdpa vs float64 reference", maxabs(got_out, want_out))
    # float32 input against the same float64 reference: a few float32 ulps of O(1) sums
    got32 = sdpa.scaled_dot_product_attention(q.float(), k.float(), v.float(),
                                              **{key: (val.float() if torch.is_tensor(val) and val.is_floating_point() else val)
                                                 for key, val in kwargs.items()})
    assert got32.dtype == torch.float32
    np.testing.assert_allclose(got32.numpy(), want_out, atol=1e-5)
    record("sdpa float32 vs float64 reference", maxabs(got32, want_out))


def single_head_mha(d, dtype=torch.float64):
    """nn.MultiheadAttention reduced to bare attention: one head, identity projections, no bias."""
    ref = nn.MultiheadAttention(d, 1, batch_first=True, dtype=dtype).eval()
    with torch.no_grad():
        ref.in_proj_weight.copy_(torch.eye(d, dtype=dtype).repeat(3, 1))
        ref.in_proj_bias.zero_()
        ref.out_proj.weight.copy_(torch.eye(d, dtype=dtype))
        ref.out_proj.bias.zero_()
    return ref


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("mask_kind", ["none", "bool", "float", "causal"])
def test_sdpa_matches_multihead_attention_internals(seed, mask_kind):
    B, L, S, d = 3, 5, 6, 8
    q, k, v, g = random_qkv(seed, (B,), L, S, d, d)
    ref = single_head_mha(d)
    kwargs, ref_mask = {}, None
    if mask_kind == "bool":
        m = torch.rand(L, S, generator=g) < 0.6
        m[:, -1] = True
        kwargs, ref_mask = dict(attn_mask=m), ~m          # MHA: True = blocked
    elif mask_kind == "float":
        b = torch.randn(L, S, generator=g, dtype=torch.float64)
        kwargs, ref_mask = dict(attn_mask=b), b
    elif mask_kind == "causal":
        S = L
        q, k, v, g = random_qkv(seed, (B,), L, S, d, d)
        kwargs = dict(is_causal=True)
        ref_mask = nn.Transformer.generate_square_subsequent_mask(L).double()
    with torch.no_grad():
        want_out, want_w = ref(q, k, v, attn_mask=ref_mask, need_weights=True)
    got_out = sdpa.scaled_dot_product_attention(q, k, v, **kwargs)
    got_w = sdpa.attention_weights(q, k, **kwargs)
    torch.testing.assert_close(got_out, want_out, rtol=0, atol=1e-12)
    torch.testing.assert_close(got_w, want_w, rtol=0, atol=1e-12)
    record("sdpa vs nn.MultiheadAttention (1 head, identity)", maxabs(got_out, want_out))


def test_fully_masked_rows_give_zeros_not_nan_and_leave_other_rows_alone():
    q, k, v, _ = random_qkv(11, (2,), 4, 5, 6, 3)
    allowed = torch.ones(2, 4, 5, dtype=torch.bool)
    allowed[0, 1] = False            # query 1 of batch 0 sees nothing
    allowed[1, :, 2] = False
    out = sdpa.scaled_dot_product_attention(q, k, v, allowed)
    assert not out.isnan().any()
    assert torch.equal(out[0, 1], torch.zeros(3, dtype=torch.float64))
    assert torch.equal(sdpa.fully_masked_rows(q, k, allowed),
                       torch.tensor([[False, True, False, False], [False] * 4]))
    want, _ = numpy_attention(q, k, v, allowed.numpy())
    np.testing.assert_allclose(out.numpy(), want, atol=1e-12)
    # a float mask of -inf is the same as a False entry
    bias = torch.zeros(2, 4, 5, dtype=torch.float64).masked_fill(~allowed, float("-inf"))
    torch.testing.assert_close(sdpa.scaled_dot_product_attention(q, k, v, bias), out, rtol=0, atol=1e-12)
    # torch 1.13's nn.MultiheadAttention returns nan for such a row; we document the difference
    with torch.no_grad():
        ref_out, _ = single_head_mha(6)(q, k, torch.nn.functional.pad(v, (0, 3)), attn_mask=(~allowed).repeat_interleave(1, 0))
    print(f"\nnn.MultiheadAttention on a fully masked row gives nan: {bool(ref_out[0, 1].isnan().all())}")
    # gradients stay finite and match finite differences, including through the masked row
    qg, kg, vg = (t.clone().requires_grad_(True) for t in (q, k, v))
    assert torch.autograd.gradcheck(lambda a, b, c: sdpa.scaled_dot_product_attention(a, b, c, allowed), (qg, kg, vg))
    sdpa.scaled_dot_product_attention(qg, kg, vg, allowed).sum().backward()
    assert all(torch.isfinite(t.grad).all() for t in (qg, kg, vg))


def test_causal_with_more_keys_is_top_left_aligned_and_finfo_min_gives_uniform():
    q, k, v, _ = random_qkv(12, (), 2, 4, 3, 2)
    w = sdpa.attention_weights(q, k, is_causal=True)
    assert w[0, 0] == 1.0 and torch.all(w[0, 1:] == 0) and torch.all(w[1, 2:] == 0)
    # the most negative finite float is NOT a block: an all-finfo.min row is uniform, as the page says
    bias = torch.full((2, 4), torch.finfo(torch.float64).min, dtype=torch.float64)
    bias[1] = 0.0
    w = sdpa.attention_weights(q, k, bias)
    torch.testing.assert_close(w[0], torch.full((4,), 0.25, dtype=torch.float64))


def test_sdpa_scale_argument_and_worked_example():
    q = torch.tensor([[1.0, 0.0, 1.0, 0.0]])
    k = torch.tensor([[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 1.0], [1.0, 1.0, 0.0, 0.0]])
    v = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    torch.testing.assert_close(sdpa.attention_weights(q, k), torch.tensor([[0.5065, 0.1863, 0.3072]]), atol=5e-5, rtol=0)
    torch.testing.assert_close(sdpa.scaled_dot_product_attention(q, k, v), torch.tensor([[0.8137, 0.4935]]), atol=5e-5, rtol=0)
    unscaled = sdpa.attention_weights(q, k, scale=1.0)
    torch.testing.assert_close(unscaled, torch.softmax(torch.tensor([[2.0, 0.0, 1.0]]), -1))


@pytest.mark.parametrize("args,kwargs,match", [
    ((torch.zeros(3, 4), torch.zeros(5, 3), torch.zeros(5, 2)), {}, "d_k"),
    ((torch.zeros(3, 4), torch.zeros(5, 4), torch.zeros(6, 2)), {}, "same length"),
    ((torch.zeros(0, 4), torch.zeros(5, 4), torch.zeros(5, 2)), {}, "empty"),
    ((torch.zeros(3, 4), torch.zeros(0, 4), torch.zeros(0, 2)), {}, "empty"),
    ((torch.zeros(4), torch.zeros(5, 4), torch.zeros(5, 2)), {}, "length, dim"),
    ((torch.zeros(3, 4), torch.zeros(5, 4), torch.zeros(5, 2)), dict(attn_mask=torch.ones(3, 5, dtype=torch.bool), is_causal=True), "not both"),
    ((torch.zeros(3, 4), torch.zeros(5, 4), torch.zeros(5, 2)), dict(attn_mask=torch.ones(3, 5, dtype=torch.long)), "bool or floating"),
    ((torch.zeros(3, 4), torch.zeros(5, 4), torch.zeros(5, 2)), dict(attn_mask=torch.ones(3, 4, dtype=torch.bool)), "broadcast"),
])
def test_sdpa_rejects_bad_input(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        sdpa.scaled_dot_product_attention(*args, **kwargs)


# ---------------------------------------------------------------- multi-head attention

def copy_weights(mine, ref):
    d = mine.d_model
    with torch.no_grad():
        for i, proj in enumerate((mine.q_proj, mine.k_proj, mine.v_proj)):
            proj.weight.copy_(ref.in_proj_weight[i * d:(i + 1) * d])
            if proj.bias is not None:
                proj.bias.copy_(ref.in_proj_bias[i * d:(i + 1) * d])
        mine.out_proj.weight.copy_(ref.out_proj.weight)
        if mine.out_proj.bias is not None:
            mine.out_proj.bias.copy_(ref.out_proj.bias)


def pair(d, h, seed, bias=True, dtype=torch.float64):
    torch.manual_seed(seed)
    ref = nn.MultiheadAttention(d, h, batch_first=True, bias=bias, dtype=dtype).eval()
    if bias:   # nn.MultiheadAttention zero-initialises its biases; make them matter
        with torch.no_grad():
            ref.in_proj_bias.normal_()
            ref.out_proj.bias.normal_()
    mine = mha.MultiHeadAttention(d, h, bias=bias, dtype=dtype).eval()
    copy_weights(mine, ref)
    return mine, ref


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("d,h,B,L,S", [(8, 2, 3, 5, 5), (12, 3, 2, 1, 4), (6, 1, 1, 4, 4), (4, 4, 2, 3, 6), (16, 4, 2, 7, 3)])
@pytest.mark.parametrize("use_padding", [False, True])
def test_mha_matches_nn_multihead_attention(seed, d, h, B, L, S, use_padding):
    mine, ref = pair(d, h, seed)
    g = torch.Generator().manual_seed(100 + seed)
    x = torch.randn(B, L, d, generator=g, dtype=torch.float64)
    mem = x if L == S else torch.randn(B, S, d, generator=g, dtype=torch.float64)
    value = mem if L == S else torch.randn(B, S, d, generator=g, dtype=torch.float64)
    pad = None
    if use_padding:
        pad = torch.rand(B, S, generator=g) < 0.4
        pad[:, 0] = False   # keep one key per row here; a fully padded row is tested separately
    with torch.no_grad():
        out, w = mine(x, mem, value, key_padding_mask=pad)
        want, want_w = ref(x, mem, value, key_padding_mask=pad, need_weights=True, average_attn_weights=False)
    # float64 both: projections of width <= 16 and softmax sums over <= 6 keys
    torch.testing.assert_close(out, want, rtol=0, atol=1e-12)
    torch.testing.assert_close(w, want_w, rtol=0, atol=1e-12)
    record("mha vs nn.MultiheadAttention (float64)", maxabs(out, want))
    record("mha per-head weights vs nn.MultiheadAttention", maxabs(w, want_w))


@pytest.mark.parametrize("seed", range(3))
def test_mha_causal_and_float32_and_no_bias(seed):
    for bias in (True, False):
        mine, ref = pair(8, 2, seed, bias=bias)
        x = torch.randn(2, 6, 8, dtype=torch.float64)
        pad = torch.tensor([[False] * 6, [False] * 4 + [True] * 2])
        causal = nn.Transformer.generate_square_subsequent_mask(6).double()
        with torch.no_grad():
            out, w = mine(x, key_padding_mask=pad, is_causal=True)
            want, want_w = ref(x, x, x, key_padding_mask=pad, attn_mask=causal, need_weights=True)
        torch.testing.assert_close(out, want, rtol=0, atol=1e-12)
        torch.testing.assert_close(w.mean(1), want_w, rtol=0, atol=1e-12)   # MHA averages heads by default
        record("mha causal+padding vs nn.MultiheadAttention", maxabs(out, want))
    mine, ref = pair(8, 2, seed, dtype=torch.float32)
    x = torch.randn(3, 5, 8)
    with torch.no_grad():
        out, _ = mine(x)
        want, _ = ref(x, x, x)
    assert out.dtype == torch.float32
    # float32 both, different summation order: ~1e-7 relative, outputs O(1)
    torch.testing.assert_close(out, want, rtol=0, atol=1e-5)
    record("mha float32 vs nn.MultiheadAttention", maxabs(out, want))


def test_mha_fully_padded_sequence_gives_zeros_not_nan():
    mine, ref = pair(8, 2, 0)
    x = torch.randn(2, 3, 8, dtype=torch.float64)
    pad = torch.tensor([[False, False, True], [True, True, True]])
    out, w = mine(x, key_padding_mask=pad)
    assert not out.isnan().any() and torch.all(w[1] == 0)
    # every weight is 0, so the output is exactly the output projection's bias
    torch.testing.assert_close(out[1], mine.out_proj.bias.expand(3, 8), rtol=0, atol=0)
    with torch.no_grad():
        want, _ = ref(x, x, x, key_padding_mask=pad)
    torch.testing.assert_close(out[0], want[0], rtol=0, atol=1e-12)
    print(f"\nnn.MultiheadAttention on a fully padded row gives nan: {bool(want[1].isnan().all())}")
    out.sum().backward()
    assert all(torch.isfinite(p.grad).all() for p in mine.parameters())


def test_mha_parameter_count_does_not_depend_on_heads():
    for h in (1, 2, 4, 8):
        assert sum(p.numel() for p in mha.MultiHeadAttention(32, h).parameters()) == 4 * 32**2 + 4 * 32
    assert sum(p.numel() for p in mha.MultiHeadAttention(512, 8).parameters()) == 1_050_624


@pytest.mark.parametrize("build,call,match", [
    (lambda: mha.MultiHeadAttention(10, 3), None, "divisible"),
    (lambda: mha.MultiHeadAttention(8, 0), None, "positive"),
    (lambda: mha.MultiHeadAttention(8, 2), lambda m: m(torch.zeros(5, 8)), "batch, length"),
    (lambda: mha.MultiHeadAttention(8, 2), lambda m: m(torch.zeros(2, 5, 6)), "batch, length"),
    (lambda: mha.MultiHeadAttention(8, 2), lambda m: m(torch.zeros(2, 5, 8), torch.zeros(3, 4, 8)), "mismatch"),
    (lambda: mha.MultiHeadAttention(8, 2), lambda m: m(torch.zeros(2, 0, 8)), "empty"),
    (lambda: mha.MultiHeadAttention(8, 2), lambda m: m(torch.zeros(2, 5, 8), key_padding_mask=torch.zeros(2, 4, dtype=torch.bool)), "key_padding_mask"),
    (lambda: mha.MultiHeadAttention(8, 2), lambda m: m(torch.zeros(2, 5, 8), key_padding_mask=torch.zeros(2, 5)), "key_padding_mask"),
])
def test_mha_rejects_bad_input(build, call, match):
    with pytest.raises(ValueError, match=match):
        module = build()
        call(module)


# ---------------------------------------------------------------- sinusoidal PE and RoPE

@pytest.mark.parametrize("T,d,base", [(1, 2, 10000.0), (50, 16, 10000.0), (33, 6, 100.0), (7, 64, 500000.0)])
def test_sinusoidal_pe_matches_the_formula(T, d, base):
    pe = rope.sinusoidal_positional_encoding(T, d, base=base, dtype=torch.float64)
    want = np.zeros((T, d))
    for p in range(T):
        for i in range(d // 2):
            w = base ** (-2 * i / d)
            want[p, 2 * i], want[p, 2 * i + 1] = math.sin(p * w), math.cos(p * w)
    # float64 sin/cos of the same float64 angles; base ** x may differ by an ulp
    np.testing.assert_allclose(pe.numpy(), want, atol=1e-12)
    record("sinusoidal PE vs formula (float64)", maxabs(pe, want))
    assert rope.sinusoidal_positional_encoding(T, d, base=base).dtype == torch.float32


def test_sinusoidal_pe_worked_example_and_distance_property():
    pe = rope.sinusoidal_positional_encoding(3, 4, dtype=torch.float64)
    torch.testing.assert_close(pe, torch.tensor([[0, 1, 0, 1], [0.8415, 0.5403, 0.0100, 0.9999],
                                                 [0.9093, -0.4161, 0.0200, 0.9998]], dtype=torch.float64), atol=1e-4, rtol=0)
    assert float(pe[1] @ pe[2]) == pytest.approx(math.cos(1) + math.cos(0.01), abs=1e-12)
    pe = rope.sinusoidal_positional_encoding(60, 64, dtype=torch.float64)
    omega = 10000.0 ** (-np.arange(0, 64, 2) / 64)
    assert float(pe[3] @ pe[7]) == pytest.approx(np.cos(4 * omega).sum(), abs=1e-12)
    assert float(pe[40] @ pe[44]) == pytest.approx(float(pe[3] @ pe[7]), abs=1e-12)
    assert float(pe[3] @ pe[7]) == pytest.approx(23.93, abs=5e-3)
    # a tensor of positions (e.g. counted from the first real token) picks rows of the table
    sub = rope.sinusoidal_positional_encoding(torch.tensor([5, 0, 59]), 64, dtype=torch.float64)
    torch.testing.assert_close(sub, pe[[5, 0, 59]], rtol=0, atol=1e-12)


def rotation_matrix(m, d, base=10000.0):
    """Block rotation R_m in the rotate-half layout: dimension j is paired with j + d/2."""
    R = np.zeros((d, d))
    h = d // 2
    for j in range(h):
        a = m * base ** (-2 * j / d)
        R[j, j], R[j, j + h] = math.cos(a), -math.sin(a)
        R[j + h, j], R[j + h, j + h] = math.sin(a), math.cos(a)
    return R


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("d", [2, 8, 64])
def test_rope_matches_explicit_rotation_matrices(seed, d):
    g = torch.Generator().manual_seed(seed)
    positions = torch.tensor([0, 1, 5, 37, 1000, 4096])
    x = torch.randn(2, 3, len(positions), d, generator=g, dtype=torch.float64)
    cos, sin = rope.rope_cos_sin(positions, d, dtype=torch.float64)
    got = rope.apply_rope(x, cos, sin)
    want = np.stack([x[..., t, :].numpy() @ rotation_matrix(int(m), d).T for t, m in enumerate(positions)], axis=-2)
    # float64; angles up to 4096 rad carry ~1e-12 absolute rounding before sin/cos
    np.testing.assert_allclose(got.numpy(), want, atol=1e-11)
    record("RoPE vs rotation matrices (float64)", maxabs(got, want))


@pytest.mark.parametrize("seed", range(3))
def test_rope_matches_complex_interleaved_form_after_permutation(seed):
    # Meta's LLaMA form: pairs (2i, 2i+1) as complex numbers times e^{i m theta_i}. With the
    # permutation j -> (2j for the first half, 2j+1 for the second) both layouts agree.
    d, T = 16, 12
    x = torch.randn(T, d, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    theta = 10000.0 ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)
    freqs_cis = torch.polar(torch.ones(T, d // 2, dtype=torch.float64), torch.arange(T, dtype=torch.float64)[:, None] * theta)
    perm = torch.empty(d, dtype=torch.long)
    perm[0::2], perm[1::2] = torch.arange(d // 2), torch.arange(d // 2, d)
    interleaved = x[:, perm]                                           # (x_0, x_h, x_1, x_{h+1}, ...)
    rotated = torch.view_as_real(torch.view_as_complex(interleaved.reshape(T, d // 2, 2)) * freqs_cis).reshape(T, d)
    want = torch.empty_like(rotated)
    want[:, perm] = rotated
    cos, sin = rope.rope_cos_sin(T, d, dtype=torch.float64)
    got = rope.apply_rope(x, cos, sin)
    torch.testing.assert_close(got, want, rtol=0, atol=1e-12)
    record("RoPE vs complex (LLaMA) form", maxabs(got, want))


@pytest.mark.parametrize("seed", range(4))
def test_rope_score_depends_only_on_the_offset(seed):
    d = 32
    g = torch.Generator().manual_seed(seed)
    q, k = torch.randn(d, generator=g, dtype=torch.float64), torch.randn(d, generator=g, dtype=torch.float64)
    cos, sin = rope.rope_cos_sin(2100, d, dtype=torch.float64)

    def rot(x, m):
        return rope.apply_rope(x[None], cos[m:m + 1], sin[m:m + 1])[0]

    rng = np.random.default_rng(seed)
    for _ in range(20):
        m, n, s = (int(v) for v in rng.integers(0, 1000, size=3))
        score = float(rot(q, m) @ rot(k, n))
        assert float(rot(q, m + s) @ rot(k, n + s)) == pytest.approx(score, abs=1e-10)
        # <R_m q, R_n k> = <q, R_{n-m} k>, with a negative offset when n < m
        direct = float(q.numpy() @ rotation_matrix(n - m, d) @ k.numpy())
        assert direct == pytest.approx(score, abs=1e-10)
        record("RoPE relative-position identity", abs(direct - score))
    assert float(rot(q, 3) @ rot(k, 7)) != pytest.approx(float(rot(q, 7) @ rot(k, 3)), abs=1e-3)


def test_rope_preserves_norms_and_worked_example():
    x = torch.randn(3, 4, 50, 64, dtype=torch.float64)
    cos, sin = rope.rope_cos_sin(50, 64, dtype=torch.float64)
    torch.testing.assert_close(rope.apply_rope(x, cos, sin).norm(dim=-1), x.norm(dim=-1), rtol=1e-13, atol=0)
    x32 = x.float()
    c32, s32 = rope.rope_cos_sin(50, 64)
    out32 = rope.apply_rope(x32, c32, s32)
    assert out32.dtype == torch.float32
    torch.testing.assert_close(out32.norm(dim=-1), x32.norm(dim=-1), rtol=1e-5, atol=0)
    # d = 2: q = (1, 1) at m = 1, k = (2, 0) at n = 3 -> 0.9863 (the concept page)
    cos, sin = rope.rope_cos_sin(7, 2, dtype=torch.float64)
    q, k = torch.tensor([[1.0, 1.0]], dtype=torch.float64), torch.tensor([[2.0, 0.0]], dtype=torch.float64)
    rq, rk = rope.apply_rope(q, cos[1:2], sin[1:2]), rope.apply_rope(k, cos[3:4], sin[3:4])
    torch.testing.assert_close(rq, torch.tensor([[-0.3012, 1.3818]], dtype=torch.float64), atol=1e-4, rtol=0)
    assert float(rq @ rk.T) == pytest.approx(2 * math.cos(2) + 2 * math.sin(2), abs=1e-12)


def test_rope_float32_tables_are_accurate_at_large_positions():
    # Angles are formed in float64: a float32 product m * theta would be off by ~1e-3 rad here.
    positions = torch.tensor([10_000, 65_535, 123_457])
    cos, sin = rope.rope_cos_sin(positions, 8)
    assert cos.dtype == torch.float32
    theta = 10000.0 ** (-np.arange(0, 8, 2) / 8)
    ang = positions.numpy()[:, None].astype(np.float64) * np.concatenate([theta, theta])
    np.testing.assert_allclose(cos.numpy(), np.cos(ang), atol=1e-6)
    np.testing.assert_allclose(sin.numpy(), np.sin(ang), atol=1e-6)
    record("RoPE float32 table vs float64 cos/sin", max(maxabs(cos, np.cos(ang)), maxabs(sin, np.sin(ang))))
    # bfloat16 activations keep their dtype
    x = torch.randn(3, 8).bfloat16()
    assert rope.apply_rope(x, cos, sin).dtype == torch.bfloat16


@pytest.mark.parametrize("call,match", [
    (lambda: rope.sinusoidal_positional_encoding(4, 5), "even"),
    (lambda: rope.rope_cos_sin(4, 0), "even"),
    (lambda: rope.rope_cos_sin(0, 8), ">= 1"),
    (lambda: rope.rope_cos_sin(torch.tensor([], dtype=torch.long), 8), "non-empty"),
    (lambda: rope.rope_cos_sin(torch.zeros(2, 2), 8), "non-empty"),
    (lambda: rope.sinusoidal_positional_encoding(4, 8, base=1.0), "base"),
    (lambda: rope.apply_rope(torch.zeros(2, 5, 8), *rope.rope_cos_sin(4, 8)), "does not match"),
    (lambda: rope.apply_rope(torch.zeros(8), *rope.rope_cos_sin(1, 8)), "does not match"),
])
def test_pe_and_rope_reject_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
