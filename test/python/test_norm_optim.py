"""Normalisation layers, dropout, Adam/AdamW, warmup-cosine schedule and gradient clipping against
the library implementations (torch 1.13) or, where torch has none, the defining formula in float64.

The largest absolute difference seen against each peer is recorded (conftest.record) and printed
after the run.
"""
import copy
import math

import numpy as np
import pytest
import torch
from scipy import stats

from conftest import load_snippet, record

ln = load_snippet("layer-norm-numpy")
rms = load_snippet("rms-norm-torch")
drop = load_snippet("dropout-numpy")
adam = load_snippet("adam-adamw-torch")
sched = load_snippet("cosine-warmup-schedule-python")
clip = load_snippet("clip-grad-norm-torch")

# ---------------------------------------------------------------- layer-norm-numpy

LN_CASES = [((4, 16), (16,)), ((2, 3, 8), (3, 8)), ((5, 1), (1,)), ((7,), (7,)), ((0, 6), (6,)),
            ((2, 2, 3, 4), (3, 4))]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("shape,normalized_shape", LN_CASES)
@pytest.mark.parametrize("eps", [1e-5, 1e-12, 1e-3])
def test_layer_norm_matches_torch_layer_norm_float64(seed, shape, normalized_shape, eps):
    rng = np.random.default_rng(seed)
    x = rng.normal(3.0, 2.0, size=shape)
    gamma, beta = rng.normal(size=normalized_shape), rng.normal(size=normalized_shape)
    ref_module = torch.nn.LayerNorm(normalized_shape, eps=eps).double()
    with torch.no_grad():
        ref_module.weight.copy_(torch.from_numpy(gamma))
        ref_module.bias.copy_(torch.from_numpy(beta))
        ref = ref_module(torch.from_numpy(x)).numpy()
    got = ln.layer_norm(x, normalized_shape, gamma, beta, eps=eps)
    assert got.shape == x.shape and got.dtype == np.float64
    # float64 on both sides, outputs O(1): only rounding in a handful of operations remains,
    # except that an ulp of error in x - mu is amplified by 1/sqrt(var + eps) (d = 1 with tiny eps:
    # the exact answer is beta and torch's mean leaves a residue of ~1e-16 / 1e-6).
    if got.size:
        axes = tuple(range(x.ndim - len(normalized_shape), x.ndim))
        amplification = np.abs(x).max() * np.abs(gamma).max() / np.sqrt(x.var(axis=axes).min() + eps)
        assert np.allclose(got, ref, rtol=0, atol=1e-12 + 4 * np.finfo(float).eps * amplification)
        key = "d = 1, constant features" if normalized_shape == (1,) else "float64"
        record(f"layer-norm-numpy vs nn.LayerNorm ({key})", np.abs(got - ref).max())


@pytest.mark.parametrize("seed", [0, 1])
def test_layer_norm_float32_matches_torch_and_keeps_dtype(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(-1.0, 5.0, size=(6, 10, 32)).astype(np.float32)
    gamma, beta = rng.normal(size=32).astype(np.float32), rng.normal(size=32).astype(np.float32)
    ref = torch.nn.functional.layer_norm(torch.from_numpy(x), (32,), torch.from_numpy(gamma),
                                         torch.from_numpy(beta), 1e-5).numpy()
    got = ln.layer_norm(x, 32, gamma, beta)
    assert got.dtype == np.float32
    # torch accumulates in float32 (relative error ~1e-7 per op, a few ops, |gamma| ~ 3 at most);
    # ours in float64 and rounds once, so the gap is torch's float32 error: well below 1e-5.
    assert np.allclose(got, ref, rtol=0, atol=1e-5)
    record("layer-norm-numpy vs F.layer_norm (float32)", np.abs(got - ref).max())


def test_layer_norm_worked_example_and_default_affine():
    got = ln.layer_norm(np.array([1.0, 2.0, 3.0, 6.0]), 4)
    assert np.allclose(got, (np.array([1, 2, 3, 6]) - 3) / np.sqrt(3.5 + 1e-5), rtol=0, atol=1e-15)


def test_layer_norm_uses_the_biased_variance():
    x = np.random.default_rng(3).normal(size=(20, 9))
    y = ln.layer_norm(x, 9, eps=0.0)
    assert np.allclose(y.mean(-1), 0, atol=1e-14)
    assert np.allclose(y.var(-1, ddof=0), 1.0, atol=1e-13)  # ddof=1 would give 8/9 here


def test_layer_norm_is_invariant_to_scaling_and_shifting_one_example():
    x = np.random.default_rng(4).normal(size=(5, 12))
    a, b = 7.5, -40.0
    assert np.allclose(ln.layer_norm(a * x + b, 12, eps=0.0), ln.layer_norm(x, 12, eps=0.0), atol=1e-12)


def test_layer_norm_large_offset_stays_accurate():
    # |mean| / std = 1e8: E[x^2] - E[x]^2 would lose every digit of the variance in float64.
    x = 1e8 + np.random.default_rng(5).normal(size=(4, 64))
    got = ln.layer_norm(x, 64)
    centred = x - x.mean(-1, keepdims=True)
    ref = centred / np.sqrt((centred**2).mean(-1, keepdims=True) + 1e-5)
    assert np.allclose(got, ref, atol=1e-6)
    torch_ref = torch.nn.functional.layer_norm(torch.from_numpy(x), (64,), eps=1e-5).numpy()
    assert np.allclose(got, torch_ref, atol=1e-6)
    record("layer-norm-numpy vs F.layer_norm (offset 1e8, float64)", np.abs(got - torch_ref).max())


def test_layer_norm_d_equal_one_returns_beta():
    beta = np.array([0.7])
    assert np.allclose(ln.layer_norm(np.array([[3.0], [-2.0]]), 1, np.array([2.0]), beta), 0.7)


@pytest.mark.parametrize("args,kwargs", [
    ((np.zeros((3, 4)), 5), {}),                         # last dim is not normalized_shape
    ((np.zeros((3, 4)), (2, 3, 4)), {}),                 # more normalised dims than x has
    ((np.zeros((3, 4)), ()), {}),                        # nothing to normalise over
    ((np.zeros((3, 0)), 0), {}),                         # empty feature dimension
    ((np.zeros((3, 4)), 4), {"eps": -1e-5}),
    ((np.zeros((3, 4)), 4), {"gamma": np.ones(3)}),
    ((np.zeros((3, 4)), 4), {"beta": np.ones((1, 4))}),
])
def test_layer_norm_bad_inputs_raise(args, kwargs):
    with pytest.raises(ValueError):
        ln.layer_norm(*args, **kwargs)


# ---------------------------------------------------------------- rms-norm-torch

def rms_formula(x, weight, eps, n_dims):
    """The defining formula in float64 NumPy, independent of the snippet."""
    x = np.asarray(x, dtype=np.float64)
    axes = tuple(range(x.ndim - n_dims, x.ndim))
    ms = np.mean(x**2, axis=axes, keepdims=True)
    return x / np.sqrt(ms + eps) * np.asarray(weight, dtype=np.float64)


RMS_CASES = [((4, 16), (16,)), ((2, 3, 8), (3, 8)), ((5, 1), (1,)), ((7,), (7,)), ((0, 6), (6,)),
             ((2, 5, 64), (64,))]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("shape,normalized_shape", RMS_CASES)
@pytest.mark.parametrize("eps", [1e-6, 1e-5, 1e-2])
def test_rms_norm_matches_formula_float64(seed, shape, normalized_shape, eps):
    rng = np.random.default_rng(seed)
    x = rng.normal(0.5, 2.0, size=shape)
    weight = rng.uniform(0.2, 2.0, size=normalized_shape)
    got = rms.rms_norm(torch.from_numpy(x), normalized_shape, torch.from_numpy(weight), eps=eps)
    assert got.dtype == torch.float64 and tuple(got.shape) == shape
    ref = rms_formula(x, weight, eps, len(normalized_shape))
    # float64 vs float64, O(1) outputs: differences are a few ulps.
    assert np.allclose(got.numpy(), ref, rtol=0, atol=1e-12)
    if ref.size:
        record("rms-norm-torch vs float64 formula", np.abs(got.numpy() - ref).max())


@pytest.mark.parametrize("seed", [0, 1])
def test_rms_norm_equals_layer_norm_on_zero_mean_input(seed):
    # With mean 0, mean(x^2) is the biased variance: RMSNorm(x) * w = LayerNorm(x) with bias 0.
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(6, 9, 24))
    x -= x.mean(-1, keepdims=True)
    w = rng.normal(size=24)
    layer = torch.nn.LayerNorm(24, eps=1e-6).double()
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(w))
        layer.bias.zero_()
        ref = layer(torch.from_numpy(x))
    got = rms.rms_norm(torch.from_numpy(x), 24, torch.from_numpy(w), eps=1e-6)
    assert torch.allclose(got, ref, rtol=0, atol=1e-12)
    record("rms-norm-torch vs nn.LayerNorm on zero-mean input", (got - ref).abs().max().item())


def test_rms_norm_differs_from_layer_norm_when_mean_is_not_zero():
    x = torch.tensor([1.0, 2.0, 3.0, 6.0], dtype=torch.float64)
    got = rms.rms_norm(x, 4)
    assert torch.allclose(got, x / math.sqrt(12.5 + 1e-6), atol=1e-15)
    assert got.mean().item() == pytest.approx(0.8485, abs=1e-4)


def test_rms_norm_float32_matches_formula():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(8, 128)).astype(np.float32)
    w = rng.uniform(0.5, 1.5, size=128).astype(np.float32)
    got = rms.rms_norm(torch.from_numpy(x), 128, torch.from_numpy(w))
    assert got.dtype == torch.float32
    # float32 compute, outputs |y| < ~6: rounding ~1e-7 relative, so 1e-5 absolute is ample.
    ref = rms_formula(x, w, 1e-6, 1)
    assert np.allclose(got.numpy(), ref, rtol=0, atol=1e-5)
    record("rms-norm-torch vs float64 formula (float32 input)", np.abs(got.numpy() - ref).max())


def test_rms_norm_float16_does_not_overflow():
    # 300^2 = 9e4 > 65504 (float16 max): squaring in float16 would give inf and an all-zero output.
    x = torch.full((2, 64), 300.0, dtype=torch.float16)
    x[1] = torch.linspace(-400, 400, 64, dtype=torch.float16)
    got = rms.rms_norm(x, 64)
    assert got.dtype == torch.float16 and torch.isfinite(got).all()
    ref = rms_formula(x.double().numpy(), np.ones(64), 1e-6, 1)
    # float16 output: one rounding to 11 significant bits, relative error <= 2^-11.
    assert np.allclose(got.double().numpy(), ref, rtol=2e-3, atol=1e-3)
    record("rms-norm-torch vs float64 formula (float16 input)", np.abs(got.double().numpy() - ref).max())


def test_rms_norm_zero_vector_and_invariances():
    assert torch.equal(rms.rms_norm(torch.zeros(3, 5), 5), torch.zeros(3, 5))
    x = torch.randn(4, 10, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    assert torch.allclose(rms.rms_norm(4.0 * x, 10, eps=0.0), rms.rms_norm(x, 10, eps=0.0), atol=1e-14)
    assert not torch.allclose(rms.rms_norm(x + 1.0, 10, eps=0.0), rms.rms_norm(x, 10, eps=0.0), atol=1e-3)
    assert rms.rms_norm(torch.tensor([[3, 4]]), 2, eps=0.0).dtype == torch.float32  # integers are promoted


def test_rms_norm_module_parameters_and_gradients():
    module = rms.RMSNorm((3, 4), eps=1e-5, dtype=torch.float64)
    assert [name for name, _ in module.named_parameters()] == ["weight"]
    assert torch.equal(module.weight, torch.ones(3, 4, dtype=torch.float64))
    x = torch.randn(2, 3, 4, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: module(t), (x,))
    module(x).sum().backward()
    assert module.weight.grad is not None and module.weight.grad.shape == (3, 4)


@pytest.mark.parametrize("args,kwargs", [
    ((torch.zeros(3, 4), 5), {}),
    ((torch.zeros(4), (2, 4)), {}),
    ((torch.zeros(3, 4), ()), {}),
    ((torch.zeros(3, 0), 0), {}),
    ((torch.zeros(3, 4), 4), {"eps": -1.0}),
    ((torch.zeros(3, 4), 4), {"weight": torch.ones(3)}),
])
def test_rms_norm_bad_inputs_raise(args, kwargs):
    with pytest.raises(ValueError):
        rms.rms_norm(*args, **kwargs)
    with pytest.raises(ValueError):
        rms.RMSNorm(0)


# ---------------------------------------------------------------- dropout-numpy

N_MASKS = 200_000


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_dropout_mean_variance_and_fraction_zeroed(p):
    rng = np.random.default_rng(int(p * 100))
    h = np.array([1.0, -2.0, 3.0, 0.5, 10.0])
    out = drop.dropout(np.broadcast_to(h, (N_MASKS, h.size)), p=p, rng=rng)
    # E[h'] = h with Var[h'] = p/(1-p) h^2: the sample mean is within 5 standard errors.
    se = np.sqrt(p / (1 - p)) * np.abs(h) / np.sqrt(N_MASKS)
    assert np.all(np.abs(out.mean(axis=0) - h) < 5 * se)
    assert np.allclose(out.var(axis=0), p / (1 - p) * h**2, rtol=0.05)
    # fraction zeroed ~ Binomial(N*5, p) / (N*5)
    zeroed = np.mean(out == 0)
    assert abs(zeroed - p) < 5 * np.sqrt(p * (1 - p) / out.size)
    # survivors are exactly h / (1 - p)
    kept = out != 0
    assert np.allclose(out[kept], (np.broadcast_to(h, out.shape) / (1 - p))[kept], rtol=1e-15)


@pytest.mark.parametrize("p", [0.2, 0.5, 0.9])
def test_dropout_values_match_torch_dropout(p):
    # Masks cannot be compared (different generators), but every output must be 0 or the value
    # torch gives a surviving unit, and the two drop rates must agree statistically.
    x = np.random.default_rng(1).normal(size=(400, 50))
    ours = drop.dropout(x, p=p, rng=np.random.default_rng(2))
    torch.manual_seed(0)
    theirs = torch.nn.functional.dropout(torch.from_numpy(x), p=p, training=True).numpy()
    survivor_value = x / (1 - p)
    both = (ours != 0) & (theirs != 0)
    assert both.sum() > 100
    diff = np.abs(ours[both] - theirs[both]).max()
    assert diff <= 1e-15 * np.abs(survivor_value).max()
    record("dropout-numpy survivors vs F.dropout survivors (float64)", diff)
    n = x.size
    pooled = ((ours == 0).sum() + (theirs == 0).sum()) / (2 * n)
    assert abs(np.mean(ours == 0) - np.mean(theirs == 0)) < 5 * np.sqrt(2 * pooled * (1 - pooled) / n)


@pytest.mark.parametrize("p", [0.3, 0.7])
def test_dropout_kept_count_follows_the_binomial_distribution(p):
    # Units are dropped independently: the number kept out of k follows Binomial(k, 1 - p).
    k, trials = 6, 50_000
    out = drop.dropout(np.ones((trials, k)), p=p, rng=np.random.default_rng(11))
    counts = np.bincount((out != 0).sum(axis=1), minlength=k + 1)
    expected = trials * stats.binom.pmf(np.arange(k + 1), k, 1 - p)
    chi2 = ((counts - expected) ** 2 / expected).sum()
    assert chi2 < stats.chi2.ppf(0.999, df=k)


def test_dropout_eval_mode_and_p_zero_are_identity():
    x = np.random.default_rng(0).normal(size=(3, 7))
    assert np.array_equal(drop.dropout(x, p=0.9, training=False), x)
    assert np.array_equal(drop.dropout(x, p=0.0, rng=np.random.default_rng(0)), x)


def test_dropout_draws_a_fresh_mask_and_is_reproducible_with_a_seed():
    x = np.ones(1000)
    rng = np.random.default_rng(3)
    assert not np.array_equal(drop.dropout(x, 0.5, rng=rng), drop.dropout(x, 0.5, rng=rng))
    assert np.array_equal(drop.dropout(x, 0.5, rng=np.random.default_rng(4)),
                          drop.dropout(x, 0.5, rng=np.random.default_rng(4)))
    assert set(np.unique(drop.dropout(x, 0.5, rng=rng))) <= {0.0, 2.0}


def test_dropout_dtypes():
    assert drop.dropout(np.ones(10, dtype=np.float32), 0.5, rng=np.random.default_rng(0)).dtype == np.float32
    assert drop.dropout(np.ones(10, dtype=np.int64), 0.5, rng=np.random.default_rng(0)).dtype == np.float64
    assert drop.dropout(np.ones((0, 3)), 0.5, rng=np.random.default_rng(0)).shape == (0, 3)


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5, float("nan")])
def test_dropout_p_outside_unit_interval_raises(p):
    with pytest.raises(ValueError):
        drop.dropout(np.ones(3), p=p, rng=np.random.default_rng(0))
    with pytest.raises(ValueError):
        drop.dropout(np.ones(3), p=p, training=False)


# ---------------------------------------------------------------- adam-adamw-torch

ADAM_SHAPES = [(5, 3), (7,), (), (1,), (0,), (2, 2, 2)]


def make_problem(seed, dtype):
    g = torch.Generator().manual_seed(seed)
    params = [torch.randn(s, dtype=dtype, generator=g) for s in ADAM_SHAPES]
    targets = [torch.randn(s, dtype=dtype, generator=g) for s in ADAM_SHAPES]
    scales = [10.0 ** (i - 2) for i in range(len(ADAM_SHAPES))]  # badly scaled coordinates

    def loss_fn(ws):
        return sum(c * ((w - t) ** 2).sum() + (w ** 4).sum() * 0.1 for c, w, t in zip(scales, ws, targets))

    return params, loss_fn


def run_both(seed, dtype, cls, decoupled, n_steps=12, **hyper):
    params, loss_fn = make_problem(seed, dtype)
    ours = [p.clone() for p in params]
    ref = [p.clone().requires_grad_() for p in params]
    opt = cls(ref, **hyper)
    amsgrad = hyper.get("amsgrad", False)
    state = adam.init_adam_state(ours, amsgrad=amsgrad)
    for _ in range(n_steps):
        leaves = [w.clone().requires_grad_() for w in ours]
        grads = torch.autograd.grad(loss_fn(leaves), leaves)
        adam.adam_step(ours, list(grads), state, lr=hyper["lr"], betas=hyper["betas"], eps=hyper["eps"],
                       weight_decay=hyper["weight_decay"], decoupled=decoupled, amsgrad=amsgrad)
        opt.zero_grad()
        loss_fn(ref).backward()
        opt.step()
    return ours, [r.detach() for r in ref]


HYPER = [dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0),
         dict(lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
         dict(lr=0.3, betas=(0.0, 0.9), eps=1e-3, weight_decay=0.5)]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("hyper", HYPER, ids=["defaults", "wd0.1", "wd0.5-beta1-0"])
@pytest.mark.parametrize("amsgrad", [False, True], ids=["amsgrad-off", "amsgrad-on"])
@pytest.mark.parametrize("which", ["Adam", "AdamW"])
def test_adam_and_adamw_match_torch_optim_float64(seed, hyper, amsgrad, which):
    cls, decoupled = (torch.optim.Adam, False) if which == "Adam" else (torch.optim.AdamW, True)
    ours, ref = run_both(seed, torch.float64, cls, decoupled, amsgrad=amsgrad, **hyper)
    diff = max((a - b).abs().max().item() if a.numel() else 0.0 for a, b in zip(ours, ref))
    # Same float64 arithmetic in a different order (torch divides sqrt(v) by sqrt(1 - b2^t));
    # rounding of ~1e-16 per step, 12 steps, parameters O(1): 1e-12 leaves a wide margin.
    assert diff < 1e-12, diff
    record(f"adam-adamw-torch vs torch.optim.{which} (float64, amsgrad={amsgrad})", diff)


@pytest.mark.parametrize("which", ["Adam", "AdamW"])
def test_adam_and_adamw_match_torch_optim_float32(which):
    cls, decoupled = (torch.optim.Adam, False) if which == "Adam" else (torch.optim.AdamW, True)
    ours, ref = run_both(3, torch.float32, cls, decoupled, amsgrad=False, **HYPER[1])
    diff = max((a - b).abs().max().item() if a.numel() else 0.0 for a, b in zip(ours, ref))
    # float32: ~6e-8 relative rounding per operation; after 12 steps, 1e-5 absolute on O(1) values.
    assert diff < 1e-5, diff
    record(f"adam-adamw-torch vs torch.optim.{which} (float32)", diff)


def test_coupled_and_decoupled_decay_really_differ():
    hyper = dict(lr=0.05, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.5)
    coupled, _ = run_both(0, torch.float64, torch.optim.Adam, False, amsgrad=False, **hyper)
    decoupled, _ = run_both(0, torch.float64, torch.optim.AdamW, True, amsgrad=False, **hyper)
    assert max((a - b).abs().max().item() for a, b in zip(coupled, decoupled) if a.numel()) > 1e-3


def test_adam_skips_none_grads_like_torch():
    # Parameter 1 gets a gradient only on odd steps: its step count (and bias correction) lags.
    g = torch.Generator().manual_seed(5)
    w0 = [torch.randn(4, dtype=torch.float64, generator=g) for _ in range(2)]
    grads_seq = [[torch.randn(4, dtype=torch.float64, generator=g) for _ in range(2)] for _ in range(6)]
    for cls, decoupled in ((torch.optim.Adam, False), (torch.optim.AdamW, True)):
        ours = [w.clone() for w in w0]
        ref = [w.clone().requires_grad_() for w in w0]
        opt = cls(ref, lr=0.1, weight_decay=0.2)
        state = adam.init_adam_state(ours)
        for t, grads in enumerate(grads_seq):
            given = [grads[0], grads[1] if t % 2 else None]
            adam.adam_step(ours, given, state, lr=0.1, weight_decay=0.2, decoupled=decoupled)
            for r, gr in zip(ref, given):
                r.grad = None if gr is None else gr.clone()
            opt.step()
        assert state["step"] == [6, 3]
        diff = max((a - b.detach()).abs().max().item() for a, b in zip(ours, ref))
        assert diff < 1e-13
        record(f"adam-adamw-torch vs torch.optim.{cls.__name__} (None grads)", diff)


def test_adam_first_step_is_lr_times_sign_and_grads_are_untouched():
    p = torch.zeros(4, dtype=torch.float64)
    g = torch.tensor([0.5, 0.005, -50.0, 2e-2], dtype=torch.float64)
    g_before = g.clone()
    adam.adam_step([p], [g], adam.init_adam_state([p]), lr=0.01, weight_decay=0.3)
    # bias correction makes m_hat / sqrt(v_hat) = g / |g| on step 1 (eps is negligible here)
    assert torch.allclose(p, -0.01 * torch.sign(g), rtol=1e-6)
    assert torch.equal(g, g_before)


def test_adam_state_follows_device_and_dtype():
    p = torch.zeros(3, dtype=torch.float32)
    state = adam.init_adam_state([p], amsgrad=True)
    assert all(t.dtype == torch.float32 and t.device == p.device
               for key in ("exp_avg", "exp_avg_sq", "max_exp_avg_sq") for t in state[key])


@pytest.mark.parametrize("kwargs", [dict(lr=-1.0), dict(betas=(1.0, 0.999)), dict(betas=(0.9, -0.1)),
                                    dict(eps=-1e-8), dict(weight_decay=-0.1), dict(lr=float("nan"))])
def test_adam_bad_hyper_parameters_raise(kwargs):
    p = torch.zeros(2)
    with pytest.raises(ValueError):
        adam.adam_step([p], [torch.ones(2)], adam.init_adam_state([p]), **kwargs)


def test_adam_bad_lists_raise():
    p = torch.zeros(2)
    with pytest.raises(ValueError):
        adam.adam_step([p], [torch.ones(2), torch.ones(2)], adam.init_adam_state([p]))
    with pytest.raises(ValueError):
        adam.adam_step([p], [torch.ones(3)], adam.init_adam_state([p]))
    with pytest.raises(ValueError):
        adam.adam_step([p], [torch.ones(2)], adam.init_adam_state([p]), amsgrad=True)


# ---------------------------------------------------------------- cosine-warmup-schedule-python

def schedule_formula(t, max_lr, warmup, total, min_lr):
    """Written out again in the test, from the concept pages' formulas."""
    if t < warmup:
        return max_lr * t / warmup
    if t > total:
        return min_lr
    return min_lr + 0.5 * (max_lr - min_lr) * (1 + math.cos(math.pi * (t - warmup) / (total - warmup)))


SCHEDULES = [(3e-4, 100, 1000, 3e-5), (1.0, 10, 50, 0.0), (0.1, 0, 100, 0.0), (0.1, 0, 37, 1e-3),
             (2.0, 1, 2, 0.5), (1e-3, 99, 100, 1e-5)]


@pytest.mark.parametrize("max_lr,warmup,total,min_lr", SCHEDULES)
def test_schedule_matches_formula_and_boundaries(max_lr, warmup, total, min_lr):
    diffs = [abs(sched.warmup_cosine_lr(t, max_lr, warmup, total, min_lr) - schedule_formula(t, max_lr, warmup, total, min_lr))
             for t in range(2 * total + 3)]
    assert max(diffs) <= 1e-15 * max_lr
    record("cosine-warmup-schedule-python vs formula", max(diffs))
    lr = lambda t: sched.warmup_cosine_lr(t, max_lr, warmup, total, min_lr)  # noqa: E731
    assert lr(0) == (0.0 if warmup else max_lr)
    assert lr(warmup) == pytest.approx(max_lr, rel=1e-15)
    assert lr(total) == pytest.approx(min_lr, abs=1e-15 * max_lr)
    assert lr(total + 1) == lr(10 * total) == min_lr
    values = [lr(t) for t in range(total + 1)]
    assert all(a < b for a, b in zip(values[:warmup], values[1:warmup + 1]))       # rises during warmup
    assert all(a >= b for a, b in zip(values[warmup:], values[warmup + 1:]))      # then never rises
    if warmup:
        assert lr(warmup - 1) == pytest.approx(max_lr * (warmup - 1) / warmup, rel=1e-15)


def test_schedule_worked_values():
    assert sched.warmup_cosine_lr(50, 3e-4, 100, 1000, 3e-5) == pytest.approx(1.5e-4, rel=1e-12)
    assert sched.warmup_cosine_lr(550, 3e-4, 100, 1000, 3e-5) == pytest.approx(1.65e-4, rel=1e-12)
    # cosine-annealing concept page: eta_max 0.1, T = 100 at t = 25, 50, 75
    got = [sched.warmup_cosine_lr(t, 0.1, 0, 100) for t in (25, 50, 75)]
    assert got == pytest.approx([0.0853553, 0.05, 0.0146447], abs=1e-7)


@pytest.mark.parametrize("max_lr,warmup,total,min_lr", SCHEDULES)
def test_schedule_drives_lambda_lr(max_lr, warmup, total, min_lr):
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=max_lr)
    scheduler = torch.optim.lr_scheduler.LambdaLR(opt, sched.warmup_cosine_lambda(max_lr, warmup, total, min_lr))
    worst = 0.0
    for t in range(2 * total + 3):
        worst = max(worst, abs(scheduler.get_last_lr()[0] - schedule_formula(t, max_lr, warmup, total, min_lr)))
        opt.step()
        scheduler.step()
    # LambdaLR only multiplies base_lr by our ratio: one rounding each way.
    assert worst <= 1e-15 * max_lr
    record("cosine-warmup-schedule-python vs LambdaLR", worst)


@pytest.mark.parametrize("max_lr,total,min_lr", [(0.1, 100, 0.0), (1.0, 4, 0.0), (0.5, 37, 1e-3), (3e-4, 1000, 3e-5)])
def test_schedule_without_warmup_matches_cosine_annealing_lr(max_lr, total, min_lr):
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=max_lr)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total, eta_min=min_lr)
    worst = 0.0
    for t in range(total + 1):
        worst = max(worst, abs(scheduler.get_last_lr()[0] - sched.warmup_cosine_lr(t, max_lr, 0, total, min_lr)))
        opt.step()
        scheduler.step()
    # CosineAnnealingLR updates recursively (each value from the previous one), so rounding
    # accumulates over the T steps: ~1e-16 * T relative, still far below 1e-12.
    assert worst <= 1e-12 * max_lr
    record("cosine-warmup-schedule-python vs CosineAnnealingLR", worst)
    # Past T_max torch climbs back up the cosine; this schedule holds min_lr.
    for _ in range(total // 2):
        opt.step()
        scheduler.step()
    assert scheduler.get_last_lr()[0] > min_lr + 0.1 * (max_lr - min_lr)
    assert sched.warmup_cosine_lr(total + total // 2, max_lr, 0, total, min_lr) == min_lr


@pytest.mark.parametrize("args", [
    (0, 1.0, 0, 0),          # total_steps < 1
    (0, 1.0, -1, 10),        # negative warmup
    (0, 1.0, 10, 10),        # warmup as long as the whole run: no decay phase
    (0, 1.0, 11, 10),
    (0, 1.0, 2, 10, 2.0),    # min_lr > max_lr
    (0, 1.0, 2, 10, -0.1),   # negative min_lr
    (-1, 1.0, 2, 10),        # negative step
])
def test_schedule_bad_arguments_raise(args):
    with pytest.raises(ValueError):
        sched.warmup_cosine_lr(*args)


def test_schedule_lambda_needs_positive_max_lr():
    with pytest.raises(ValueError):
        sched.warmup_cosine_lambda(0.0, 0, 10)
    with pytest.raises(ValueError):
        sched.warmup_cosine_lambda(1.0, 10, 10)


# ---------------------------------------------------------------- clip-grad-norm-torch

CLIP_SHAPES = [(3, 4), (5,), (), (2, 3, 2), (1,)]


def make_params(seed, dtype, none_at=(), scale=1.0):
    g = torch.Generator().manual_seed(seed)
    params = []
    for i, shape in enumerate(CLIP_SHAPES):
        p = torch.zeros(shape, dtype=dtype, requires_grad=True)
        if i not in none_at:
            p.grad = scale * torch.randn(shape, dtype=dtype, generator=g)
        params.append(p)
    return params


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, math.inf])
@pytest.mark.parametrize("factor", [0.3, 2.0], ids=["clipped", "not-clipped"])
@pytest.mark.parametrize("none_at", [(), (1,), (0, 3)], ids=["all-grads", "one-None", "two-None"])
def test_clip_grad_norm_matches_torch_float64(seed, norm_type, factor, none_at):
    ours = make_params(seed, torch.float64, none_at)
    theirs = copy.deepcopy(ours)
    grads = [p.grad for p in ours if p.grad is not None]
    true_norm = torch.linalg.vector_norm(torch.cat([g.flatten() for g in grads]), norm_type).item()
    max_norm = factor * true_norm
    got = clip.clip_grad_norm(ours, max_norm, norm_type=norm_type)
    ref = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=norm_type)
    # float64 on both sides, norms and gradients O(1): a few ulps.
    assert got.item() == pytest.approx(ref.item(), rel=1e-13)
    assert got.item() == pytest.approx(true_norm, rel=1e-13)  # the norm BEFORE clipping
    diff = 0.0
    for a, b in zip(ours, theirs):
        assert (a.grad is None) == (b.grad is None)
        if a.grad is not None:
            diff = max(diff, (a.grad - b.grad).abs().max().item())
    assert diff < 1e-13
    record("clip-grad-norm-torch vs clip_grad_norm_ (float64)", diff)
    record("clip-grad-norm-torch returned norm vs clip_grad_norm_ (float64)", abs(got.item() - ref.item()))
    after = torch.linalg.vector_norm(torch.cat([p.grad.flatten() for p in ours if p.grad is not None]), norm_type)
    assert after.item() <= max_norm * (1 + 1e-12)
    if factor > 1:  # below the threshold nothing changes
        fresh = make_params(seed, torch.float64, none_at)
        assert all(torch.equal(a.grad, b.grad) for a, b in zip(ours, fresh) if a.grad is not None)


@pytest.mark.parametrize("norm_type", [2.0, math.inf])
def test_clip_grad_norm_matches_torch_float32(norm_type):
    ours = make_params(7, torch.float32, scale=30.0)
    theirs = copy.deepcopy(ours)
    got = clip.clip_grad_norm(ours, 1.0, norm_type=norm_type)
    ref = torch.nn.utils.clip_grad_norm_(theirs, 1.0, norm_type=norm_type)
    # float32: relative rounding ~1e-7 in the norm and the scale; clipped gradients are < 1.
    assert got.item() == pytest.approx(ref.item(), rel=1e-6)
    diff = max((a.grad - b.grad).abs().max().item() for a, b in zip(ours, theirs))
    assert diff < 1e-6
    record("clip-grad-norm-torch vs clip_grad_norm_ (float32)", diff)


def test_clip_grad_norm_worked_example_is_global_not_per_tensor():
    a, b = torch.zeros(2, requires_grad=True), torch.zeros(1, requires_grad=True)
    a.grad, b.grad = torch.tensor([3.0, 4.0]), torch.tensor([12.0])
    assert clip.clip_grad_norm([a, b], 1.0).item() == pytest.approx(13.0)
    assert torch.allclose(torch.cat([a.grad, b.grad]), torch.tensor([3.0, 4.0, 12.0]) / (13.0 + 1e-6))


def test_clip_grad_norm_accepts_a_tensor_or_a_generator():
    model = torch.nn.Linear(4, 3)
    model(torch.randn(5, 4)).pow(2).sum().backward()
    twin = copy.deepcopy(model)  # Module deepcopy does not carry .grad over
    for a, b in zip(model.parameters(), twin.parameters()):
        b.grad = a.grad.clone()
    got = clip.clip_grad_norm(model.parameters(), 0.1)
    ref = torch.nn.utils.clip_grad_norm_(twin.parameters(), 0.1)
    assert got.item() == pytest.approx(ref.item(), rel=1e-6)
    assert all(torch.allclose(a.grad, b.grad, atol=1e-7) for a, b in zip(model.parameters(), twin.parameters()))
    p = torch.zeros(3, requires_grad=True)
    p.grad = torch.tensor([0.0, 3.0, 4.0])
    assert clip.clip_grad_norm(p, 1.0).item() == pytest.approx(5.0)


def test_clip_grad_norm_edge_cases():
    # no gradients at all: norm 0, nothing to do (as torch)
    assert clip.clip_grad_norm([torch.zeros(2, requires_grad=True)], 1.0).item() == 0.0
    assert clip.clip_grad_norm([], 1.0).item() == 0.0
    with pytest.raises(ValueError):
        clip.total_grad_norm([])
    # an all-zero gradient stays zero (eps keeps the scale finite)
    p = torch.zeros(3, requires_grad=True)
    p.grad = torch.zeros(3)
    assert clip.clip_grad_norm([p], 1.0).item() == 0.0 and torch.equal(p.grad, torch.zeros(3))
    # float16 gradients: the sum of squares (1e7) would overflow float16
    q = torch.zeros(1000, dtype=torch.float16, requires_grad=True)
    q.grad = torch.full((1000,), 100.0, dtype=torch.float16)
    norm = clip.clip_grad_norm([q], 1.0)
    assert math.isfinite(norm.item()) and norm.item() == pytest.approx(100.0 * math.sqrt(1000), rel=1e-3)
    assert q.grad.dtype == torch.float16 and torch.isfinite(q.grad).all()


@pytest.mark.parametrize("kwargs", [dict(max_norm=-1.0), dict(max_norm=float("nan")), dict(max_norm=1.0, norm_type=0),
                                    dict(max_norm=1.0, norm_type=-2.0)])
def test_clip_grad_norm_bad_arguments_raise(kwargs):
    p = torch.zeros(2, requires_grad=True)
    p.grad = torch.ones(2)
    with pytest.raises(ValueError):
        clip.clip_grad_norm([p], **kwargs)
