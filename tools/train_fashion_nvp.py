#!/usr/bin/env python3
"""Train the real NVP flow shipped as models/fashion-nvp.{onnx,npz} (see tools/README.md).

Real NVP of Dinh, Sohl-Dickstein and Bengio (2017) on 1 x 32 x 32 Fashion-MNIST (padded from
28 x 28), trained by maximum likelihood, in exactly the layout of gequiv's native
RealNvpGenerator (so the weights load there unchanged):

* pre-processing: pixels dequantised, u = (k + U(0, 1)) / 256, then y = logit(alpha + (1 - 2 alpha) u)
  with alpha = 0.05; the generator therefore ends with x = (sigmoid(y) - alpha) / (1 - 2 alpha);
* the flow acts on a flat vector v (channel, row, column order). Level l < L-1: three checkerboard
  couplings (parities 0, 1, 0) on C x H x H, a squeeze (channel 4c + 2dy + dx holds pixel
  (2y + dy, 2x + dx) of c), three channel couplings (parities 0, 1, 0) on 4C x H/2 x H/2, and a
  factor-out: the following steps act on the first half of the channels only (the prefix of v).
  The last level has four checkerboard couplings;
* an affine coupling keeps its fixed part (checkerboard: pixels with (row + col) % 2 == parity,
  given to the network with the free pixels zeroed; channel: the first (parity 0) or second half
  of the channels) and maps the free part v -> v * exp(s) + t, s = a * tanh(raw_s), with a
  residual network raw = out(relu(h_B)), h_0 = in(fixed), h_{b+1} = h_b + conv2(relu(conv1(relu(h_b)))),
  all convolutions 3 x 3 with padding 1 and bias.

Data: the 60 000 training images of the Debian package dataset-fashion-mnist; bits per dimension
are reported on its 10 000 test images (held out).

Usage (Debian's python, which has torch):
    /usr/bin/python3 tools/train_fashion_nvp.py --data /usr/share/datasets/fashion-mnist --work /tmp/nvp --out models
    /usr/bin/python3 tools/train_fashion_nvp.py --export-only /tmp/nvp/checkpoint.pt --out models

Writes OUT/fashion-nvp.onnx (float32, input 'latent' [batch, 1024], output 'image'
[batch, 1, 32, 32]), OUT/fashion-nvp.npz (float32 weights in RealNvpWeights' format) and
OUT/fashion-nvp-check.npz (8 latents, the float64 outputs of the generator and their
log |det dG/dc|), and WORK/log.json with the losses.
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from train_fashion_dcgan import find_file, load_idx_images


def hidden_conv(n_in, n_out, weight_norm):
    conv = nn.Conv2d(n_in, n_out, 3, padding=1)
    return nn.utils.weight_norm(conv) if weight_norm else conv


def hidden_convs(net):
    return [net.inp] + [c for pair in net.blocks for c in pair]


class ResNet(nn.Module):
    """Residual scale/shift network; with weight_norm the input and block convolutions are
    weight-normalised during training (folded into plain weights at export)."""

    def __init__(self, n_in, n_out, hidden, blocks, weight_norm=False):
        super().__init__()
        self.inp = hidden_conv(n_in, hidden, weight_norm)
        self.blocks = nn.ModuleList()
        for _ in range(blocks):
            self.blocks.append(nn.ModuleList([hidden_conv(hidden, hidden, weight_norm),
                                              hidden_conv(hidden, hidden, weight_norm)]))
        self.out = nn.Conv2d(hidden, 2 * n_out, 3, padding=1)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def fold_weight_norm(self):
        for conv in hidden_convs(self):
            if hasattr(conv, 'weight_g'):
                nn.utils.remove_weight_norm(conv)

    def forward(self, x):
        h = self.inp(x)
        for c1, c2 in self.blocks:
            h = h + c2(F.relu(c1(F.relu(h))))
        return self.out(F.relu(h))


class Coupling(nn.Module):
    def __init__(self, c, h, channel, parity, hidden, blocks, weight_norm=False):
        super().__init__()
        self.c, self.h, self.channel, self.parity = c, h, channel, parity
        self.n = c // 2 if channel else c
        self.net = ResNet(self.n, self.n, hidden, blocks, weight_norm)
        self.scale = nn.Parameter(torch.ones(self.n))
        yy, xx = torch.meshgrid(torch.arange(h), torch.arange(h), indexing='ij')
        self.register_buffer('mask', (((yy + xx) % 2) == parity).to(torch.get_default_dtype())[None, None])

    def _st(self, fixed):
        raw = self.net(fixed)
        s = self.scale[None, :, None, None] * torch.tanh(raw[:, :self.n])
        return s, raw[:, self.n:]

    def apply(self, v, to_latent):
        """v: (B, N) state; acts on its prefix of c*h*h entries. Returns the new v and log-det."""
        b = v.shape[0]
        m = self.c * self.h * self.h
        x = v[:, :m].reshape(b, self.c, self.h, self.h)
        if self.channel:
            fixed = x[:, self.parity * self.n:(self.parity + 1) * self.n]
            free = x[:, (1 - self.parity) * self.n:(2 - self.parity) * self.n]
            s, t = self._st(fixed)
            free = free * torch.exp(s) + t if to_latent else (free - t) * torch.exp(-s)
            parts = [fixed, free] if self.parity == 0 else [free, fixed]
            y = torch.cat(parts, dim=1)
            ld = s.flatten(1).sum(1)
        else:
            fixed = x * self.mask
            s, t = self._st(fixed)
            s = s * (1 - self.mask)
            t = t * (1 - self.mask)
            y = fixed + (1 - self.mask) * (x * torch.exp(s) + t if to_latent else (x - t) * torch.exp(-s))
            ld = s.flatten(1).sum(1)
        v = torch.cat([y.reshape(b, m), v[:, m:]], dim=1)
        return v, ld if to_latent else -ld


class Squeeze(nn.Module):
    def __init__(self, c, h):
        super().__init__()
        self.c, self.h = c, h

    def apply(self, v, to_latent):
        b, c, h = v.shape[0], self.c, self.h
        m = c * h * h
        x = v[:, :m]
        if to_latent:
            y = x.reshape(b, c, h // 2, 2, h // 2, 2).permute(0, 1, 3, 5, 2, 4)
        else:
            y = x.reshape(b, c, 2, 2, h // 2, h // 2).permute(0, 1, 4, 2, 5, 3)
        return torch.cat([y.reshape(b, m), v[:, m:]], dim=1), torch.zeros(b, dtype=v.dtype)


class DenseCoupling(nn.Module):
    """Affine coupling on the c*h*h prefix whose scale/shift network is an MLP
    fixed -> fc1 -> relu -> fc2 -> relu -> fc3 -> (raw_s, t), s = a * tanh(raw_s); the fixed entries
    are, by kind = index % 4 (index % 2 when c is odd): 0/1 the checkerboard pixels with
    (row + col) % 2 == kind, 2/3 the first/second half of the channels, in (channel, row, col) order."""

    def __init__(self, c, h, index, hidden):
        super().__init__()
        self.c, self.h = c, h
        m = c * h * h
        kind = index % 4 if c % 2 == 0 else index % 2
        ch, yy, xx = torch.meshgrid(torch.arange(c), torch.arange(h), torch.arange(h), indexing='ij')
        fixed = (((yy + xx) % 2) == kind) if kind < 2 else ((ch < c // 2) if kind == 2 else (ch >= c // 2))
        fixed = fixed.flatten()
        idx_fixed = torch.nonzero(fixed).flatten()
        idx_free = torch.nonzero(~fixed).flatten()
        self.register_buffer('idx_fixed', idx_fixed)
        self.register_buffer('idx_free', idx_free)
        self.register_buffer('unperm', torch.argsort(torch.cat([idx_fixed, idx_free])))
        self.n = m // 2
        self.fc1 = nn.Linear(self.n, hidden)
        self.fc2 = nn.Linear(hidden, hidden)
        self.fc3 = nn.Linear(hidden, 2 * self.n)
        nn.init.zeros_(self.fc3.weight)
        nn.init.zeros_(self.fc3.bias)
        self.scale = nn.Parameter(torch.ones(self.n))

    def apply(self, v, to_latent):
        m = self.c * self.h * self.h
        x = v[:, :m]
        fixed = x[:, self.idx_fixed]
        free = x[:, self.idx_free]
        raw = self.fc3(F.relu(self.fc2(F.relu(self.fc1(fixed)))))
        s = self.scale * torch.tanh(raw[:, :self.n])
        t = raw[:, self.n:]
        free = free * torch.exp(s) + t if to_latent else (free - t) * torch.exp(-s)
        y = torch.cat([fixed, free], dim=1)[:, self.unperm]
        ld = s.sum(1)
        return torch.cat([y, v[:, m:]], dim=1), ld if to_latent else -ld


def full_arch(arch):
    """(C, H, scales, hidden, blocks, dense couplings, dense hidden); older 5-tuples have no dense level."""
    arch = tuple(int(a) for a in arch)
    return arch + (0, 0) if len(arch) == 5 else arch


class RealNvp(nn.Module):
    """The flow; with dense > 0 the last level is `dense` DenseCouplings of width dense_hidden instead
    of the four checkerboard couplings."""

    def __init__(self, arch, alpha, weight_norm=False):
        super().__init__()
        arch = full_arch(arch)
        channels, size, scales, hidden, blocks, dense, dense_hidden = arch
        self.arch = arch
        self.alpha = alpha
        self.n = channels * size * size
        steps = []
        c, h = channels, size
        for level in range(scales):
            last = level == scales - 1
            if last and dense:
                for i in range(dense):
                    steps.append(DenseCoupling(c, h, i, dense_hidden))
                break
            for i in range(4 if last else 3):
                steps.append(Coupling(c, h, False, i % 2, hidden, blocks, weight_norm))
            if not last:
                steps.append(Squeeze(c, h))
                c, h = 4 * c, h // 2
                for i in range(3):
                    steps.append(Coupling(c, h, True, i % 2, hidden, blocks, weight_norm))
                c //= 2
        self.steps = nn.ModuleList(steps)
        self.last_size = c * h * h

    def fold_weight_norm(self):
        for cp in self.couplings():
            if isinstance(cp, Coupling):
                cp.net.fold_weight_norm()
        return self

    def couplings(self):
        return [s for s in self.steps if isinstance(s, (Coupling, DenseCoupling))]

    def to_latent(self, y):
        ld = torch.zeros(y.shape[0], dtype=y.dtype)
        for s in self.steps:
            y, d = s.apply(y, True)
            ld = ld + d
        return y, ld

    def generate(self, z):
        """x = G(z) in pixel space (sigmoid of the flow output, alpha undone) and log |det dG/dz|."""
        ld = torch.zeros(z.shape[0], dtype=z.dtype)
        for s in reversed(self.steps):
            z, d = s.apply(z, False)
            ld = ld + d
        a = self.alpha
        p = torch.sigmoid(z)
        ld = ld + (torch.log(p) + torch.log1p(-p) - math.log(1 - 2 * a)).sum(1)
        return (p - a) / (1 - 2 * a), ld

    def forward(self, z):
        x, _ = self.generate(z)
        return x.reshape(-1, self.arch[0], self.arch[1], self.arch[1])


def log_likelihood(model, u):
    """log p(u) of pixels u in (0, 1)^N (dequantised), in nats per image."""
    a = model.alpha
    p = a + (1 - 2 * a) * u
    y = torch.log(p) - torch.log1p(-p)
    ld_pre = (math.log(1 - 2 * a) - torch.log(p) - torch.log1p(-p)).sum(1)
    z, ld = model.to_latent(y)
    logpz = -0.5 * (z * z).sum(1) - 0.5 * model.n * math.log(2 * math.pi)
    return logpz + ld + ld_pre


def bits_per_dim(model, pixels, rng_seed=7, batch=250):
    """Held-out bits/dim of 8-bit pixels (uint8 tensor (P, N)): -(log p(u) - N log 256) / (N log 2)."""
    g = torch.Generator().manual_seed(rng_seed)
    total = 0.0
    with torch.no_grad():
        for b0 in range(0, pixels.shape[0], batch):
            k = pixels[b0:b0 + batch].to(torch.get_default_dtype())
            u = (k + torch.rand(k.shape, generator=g)) / 256.0
            total += log_likelihood(model, u).sum().item()
    n = model.n
    return -(total / pixels.shape[0] - n * math.log(256.0)) / (n * math.log(2.0))


def gequiv_arrays(model):
    c, h, scales, hidden, blocks, dense, dense_hidden = model.arch
    head = [c, h, scales, hidden, blocks, model.alpha] + ([dense, dense_hidden] if dense else [])
    out = {'architecture': np.array(head, dtype=np.float64)}
    for k, cp in enumerate(model.couplings()):
        pre = f'coupling{k}.'
        if isinstance(cp, DenseCoupling):
            for j, fc in enumerate((cp.fc1, cp.fc2, cp.fc3)):
                out[pre + f'fc{j + 1}.weight'] = fc.weight
                out[pre + f'fc{j + 1}.bias'] = fc.bias
            out[pre + 'scale'] = cp.scale
            continue
        out[pre + 'in.weight'] = cp.net.inp.weight
        out[pre + 'in.bias'] = cp.net.inp.bias
        for b, (c1, c2) in enumerate(cp.net.blocks):
            out[pre + f'block{b}.conv1.weight'] = c1.weight
            out[pre + f'block{b}.conv1.bias'] = c1.bias
            out[pre + f'block{b}.conv2.weight'] = c2.weight
            out[pre + f'block{b}.conv2.bias'] = c2.bias
        out[pre + 'out.weight'] = cp.net.out.weight
        out[pre + 'out.bias'] = cp.net.out.bias
        out[pre + 'scale'] = cp.scale
    return {k: (v.detach().cpu().numpy().astype(np.float32) if torch.is_tensor(v) else v) for k, v in out.items()}


def build(arch, alpha, weight_norm=False, init=None):
    """The flow; init: arrays in gequiv's format (gequiv_arrays) to start from, before the weight norm."""
    model = RealNvp(arch, alpha, False)
    if init is not None:
        load_arrays(model, init)
    if weight_norm:
        for cp in model.couplings():
            if isinstance(cp, Coupling):
                for conv in hidden_convs(cp.net):
                    nn.utils.weight_norm(conv)
    return model


def load_arrays(model, arrays, couplings=None):
    """Copies gequiv-format arrays into the (not weight-normalised) model, for the first `couplings`
    couplings (all when None)."""
    want = gequiv_arrays(model)
    cps = model.couplings()
    with torch.no_grad():
        for k, cp in enumerate(cps[:couplings]):
            pre = f'coupling{k}.'
            for key, param in [(kk, v) for kk, v in gequiv_params(cp, pre)]:
                if key not in arrays or arrays[key].shape != want[key].shape:
                    raise SystemExit(f'--init: {key} missing or of another shape')
                param.copy_(torch.from_numpy(np.asarray(arrays[key])))


def gequiv_params(cp, pre):
    if isinstance(cp, DenseCoupling):
        for j, fc in enumerate((cp.fc1, cp.fc2, cp.fc3)):
            yield pre + f'fc{j + 1}.weight', fc.weight
            yield pre + f'fc{j + 1}.bias', fc.bias
    else:
        convs = [('in', cp.net.inp)] + [(f'block{b}.conv{j + 1}', c) for b, pair in enumerate(cp.net.blocks)
                                         for j, c in enumerate(pair)] + [('out', cp.net.out)]
        for name, conv in convs:
            yield pre + name + '.weight', conv.weight
            yield pre + name + '.bias', conv.bias
    yield pre + 'scale', cp.scale


def plain_copy(model, weight_norm):
    """A float32 copy of model (built with or without weight norm) with plain convolution weights."""
    plain = build(model.arch, model.alpha, weight_norm)
    plain.load_state_dict(model.state_dict())
    return plain.fold_weight_norm().eval()


def save_grid(model, path, temperature=1.0, rows=6, cols=12, seed=5):
    """A PNG grid of G(T c), c ~ N(0, I), pixels clipped to [0, 1] (for looking at training)."""
    from PIL import Image
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        x, _ = model.generate(temperature * torch.randn(rows * cols, model.n, generator=g))
    side = model.arch[1]
    img = x.clamp(0, 1).reshape(rows, cols, side, side).permute(0, 2, 1, 3).reshape(rows * side, cols * side)
    Image.fromarray((255 * img.numpy()).round().astype(np.uint8)).save(path)


def export(model, out_dir, meta):
    os.makedirs(out_dir, exist_ok=True)
    model = model.cpu().eval()
    np.savez(os.path.join(out_dir, 'fashion-nvp.npz'), **gequiv_arrays(model))
    torch.onnx.export(model, torch.zeros(1, model.n), os.path.join(out_dir, 'fashion-nvp.onnx'),
                      input_names=['latent'], output_names=['image'], opset_version=13,
                      dynamic_axes={'latent': {0: 'batch'}, 'image': {0: 'batch'}})
    m64 = build(model.arch, model.alpha).double()
    m64.load_state_dict({k: v.double() for k, v in model.state_dict().items()})
    rng = np.random.default_rng(20241)
    latents = rng.standard_normal((8, model.n))
    with torch.no_grad():
        x, ld = m64.generate(torch.from_numpy(latents))
    np.savez(os.path.join(out_dir, 'fashion-nvp-check.npz'), latents=latents, outputs=x.numpy(),
             log_det=ld.numpy(), meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8).astype(np.float64))


FINE_SEED = 99


def pad_images(a):
    x = np.zeros((a.shape[0], 32, 32), dtype=np.uint8)
    x[:, 2:30, 2:30] = a
    return torch.from_numpy(x.reshape(a.shape[0], -1))


def coarse_latents(model, fine_steps, pixels, g, batch=200):
    """Dequantised images (one U(0, 1) draw each from g) through the pre-processing and the fine steps:
    the last level's input (B, last_size) and the rest of log p(u): log-det so far + log N of the
    factored-out part."""
    zs, rests = [], []
    a = model.alpha
    with torch.no_grad():
        for b0 in range(0, pixels.shape[0], batch):
            k = pixels[b0:b0 + batch].float()
            u = (k + torch.rand(k.shape, generator=g)) / 256.0
            p = a + (1 - 2 * a) * u
            y = torch.log(p) - torch.log1p(-p)
            ld = (math.log(1 - 2 * a) - torch.log(p) - torch.log1p(-p)).sum(1)
            for s in fine_steps:
                y, d = s.apply(y, True)
                ld = ld + d
            f = y[:, model.last_size:]
            zs.append(y[:, :model.last_size].clone())
            rests.append(ld - 0.5 * (f * f).sum(1) - 0.5 * f.shape[1] * math.log(2 * math.pi))
    return torch.cat(zs), torch.cat(rests)


def dense_log_prob(steps, z):
    ld = torch.zeros(z.shape[0])
    for s in steps:
        z, d = s.apply(z, True)
        ld = ld + d
    return -0.5 * (z * z).sum(1) - 0.5 * z.shape[1] * math.log(2 * math.pi) + ld


def dense_stage(args):
    """Second stage: keep the levels before the last of a checkpoint (its averaged weights) and train
    a new last level of DenseCouplings by maximum likelihood on the coarse latents of the data."""
    ck = torch.load(args.fine)
    old = build(tuple(ck['arch']), ck['alpha'], ck.get('weight_norm', False))
    old.load_state_dict(ck['ema'])
    old = plain_copy(old, ck.get('weight_norm', False))
    c, h, scales, hidden, blocks = full_arch(ck['arch'])[:5]
    arch = (c, h, scales, hidden, blocks, args.dense, args.dense_hidden)
    model = RealNvp(arch, old.alpha)
    fine = len(old.couplings()) - 4
    load_arrays(model, gequiv_arrays(old), couplings=fine)
    fine_steps = old.steps[:-4]
    train = pad_images(load_idx_images(find_file(args.data, 'train-images')))
    test = pad_images(load_idx_images(find_file(args.data, 't10k-images')))
    g = torch.Generator().manual_seed(FINE_SEED)
    perm = torch.randperm(train.shape[0], generator=g)[:args.coarse_images]
    start = time.time()
    if args.coarse_cache and os.path.exists(args.coarse_cache):
        cache = torch.load(args.coarse_cache)
        if not torch.equal(cache['perm'], perm) or cache['meta'] != ck['meta']:
            raise SystemExit('--coarse-cache was made from another checkpoint or image subset')
        zt, rt, ztr = cache['test_coarse'], cache['test_rest'], cache['train_coarse']
    else:
        zt, rt = coarse_latents(old, fine_steps, test[:args.eval_images], g)
        ztr, _ = coarse_latents(old, fine_steps, train[perm], g)
        if args.coarse_cache:
            torch.save({'perm': perm, 'meta': ck['meta'], 'test_coarse': zt, 'test_rest': rt, 'train_coarse': ztr},
                       args.coarse_cache)
    dense = [s for s in model.steps if isinstance(s, DenseCoupling)]
    params = [p for s in dense for p in s.parameters()]
    ema = [p.detach().clone() for p in params]
    opt = torch.optim.Adam(params, lr=args.lr, weight_decay=args.weight_decay)
    n = model.n
    per_epoch = ztr.shape[0] // args.batch
    total_its = args.epochs * per_epoch

    def heldout_bpd(use_ema):
        saved = [p.detach().clone() for p in params]
        with torch.no_grad():
            if use_ema:
                for p, e in zip(params, ema):
                    p.copy_(e)
            lp = torch.cat([dense_log_prob(dense, zt[b:b + 500]) for b in range(0, zt.shape[0], 500)])
            for p, sv in zip(params, saved):
                p.copy_(sv)
        return -((rt + lp).mean().item() - n * math.log(256.0)) / (n * math.log(2.0))

    log = {'stage': 'dense', 'fine_checkpoint_meta': ck['meta'], 'arch': list(arch), 'alpha': old.alpha,
           'coarse_images': int(ztr.shape[0]), 'fine_seed': FINE_SEED, 'batch': args.batch, 'lr': args.lr,
           'seed': args.seed, 'ema': args.ema, 'weight_decay': args.weight_decay, 'planned_epochs': args.epochs,
           'eval_images': int(zt.shape[0]), 'heldout_bpd_before': heldout_bpd(False), 'epochs': [],
           'precompute_seconds': round(time.time() - start, 1)}
    print(json.dumps({'heldout_bpd_before': log['heldout_bpd_before']}), flush=True)
    torch.manual_seed(args.seed)
    it = 0
    for epoch in range(args.epochs):
        order = torch.randperm(ztr.shape[0])
        total = 0.0
        for b in range(per_epoch):
            z = ztr[order[b * args.batch:(b + 1) * args.batch]]
            nll = -dense_log_prob(dense, z).mean()
            opt.zero_grad()
            nll.backward()
            nn.utils.clip_grad_norm_(params, 100.0)
            for group in opt.param_groups:
                group['lr'] = args.lr * min(1.0, (it + 1) / args.warmup) * 0.5 * (1 + math.cos(math.pi * it / total_its))
            opt.step()
            with torch.no_grad():
                d = min(args.ema, (1 + it) / (10 + it))
                for e, p in zip(ema, params):
                    e.mul_(d).add_(p, alpha=1 - d)
            total += nll.item()
            it += 1
            if args.max_minutes and time.time() - start > 60 * args.max_minutes:
                break
        entry = {'epoch': epoch + 1, 'batches': b + 1, 'train_nll_nats': total / (b + 1),
                 'heldout_bpd': heldout_bpd(False), 'heldout_bpd_ema': heldout_bpd(True),
                 'wall_seconds': round(time.time() - start, 1)}
        log['epochs'].append(entry)
        print(json.dumps(entry), flush=True)
        with torch.no_grad():
            for p, e in zip(params, ema):
                e_saved = p.detach().clone()
                p.copy_(e)
                e.copy_(e_saved)
        torch.save({'model': model.state_dict(), 'arch': list(arch), 'alpha': old.alpha, 'weight_norm': False,
                    'meta': log}, os.path.join(args.work, 'dense-checkpoint.pt'))
        save_grid(model, os.path.join(args.work, f'dense-samples-epoch{epoch + 1}.png'))
        with torch.no_grad():
            for p, e in zip(params, ema):
                e_saved = p.detach().clone()
                p.copy_(e)
                e.copy_(e_saved)
        with open(os.path.join(args.work, 'dense-log.json'), 'w') as f:
            json.dump(log, f, indent=1)
        if args.max_minutes and time.time() - start > 60 * args.max_minutes:
            break
    with torch.no_grad():
        for p, e in zip(params, ema):
            p.copy_(e)
    return model, log


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default='/usr/share/datasets/fashion-mnist')
    ap.add_argument('--work', default='/tmp/fashion-nvp')
    ap.add_argument('--out', default='models')
    ap.add_argument('--scales', type=int, default=2)
    ap.add_argument('--hidden', type=int, default=16)
    ap.add_argument('--blocks', type=int, default=1)
    ap.add_argument('--alpha', type=float, default=0.05)
    ap.add_argument('--epochs', type=int, default=3)
    ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--weight-decay', type=float, default=5e-5)
    ap.add_argument('--seed', type=int, default=16)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--max-minutes', type=float, default=0, help='stop after this wall time (0: no limit)')
    ap.add_argument('--checkpoint-every', type=int, default=100)
    ap.add_argument('--export-only', help='export this checkpoint and exit')
    ap.add_argument('--heldout', action='store_true', help='with --export-only: bits/dim on all test images')
    ap.add_argument('--export-ema', type=int, default=1, help='export the averaged weights (1) or the last ones (0)')
    ap.add_argument('--weight-norm', type=int, default=1, help='weight-normalise the hidden convolutions')
    ap.add_argument('--ema', type=float, default=0.999, help='decay of the exponential moving average of the weights')
    ap.add_argument('--warmup', type=int, default=200, help='linear learning-rate warm-up (iterations)')
    ap.add_argument('--cosine', type=int, default=1, help='cosine learning-rate decay to 0 over --epochs')
    ap.add_argument('--fine', help='second stage: keep the fine levels of this checkpoint, train a dense last level')
    ap.add_argument('--dense', type=int, default=8, help='dense couplings of the last level (second stage)')
    ap.add_argument('--dense-hidden', type=int, default=256, help='width of their MLPs')
    ap.add_argument('--coarse-images', type=int, default=24000, help='training images of the second stage')
    ap.add_argument('--coarse-cache', help='file for the second stage\'s coarse latents (reused when compatible)')
    ap.add_argument('--init', help='start from these weights (an npz in gequiv format written by this script)')
    ap.add_argument('--eval-images', type=int, default=2000, help='held-out images for the per-epoch bits/dim')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    if args.export_only:
        ck = torch.load(args.export_only)
        model = build(tuple(ck['arch']), ck['alpha'], ck.get('weight_norm', False))
        model.load_state_dict(ck['ema'] if args.export_ema and 'ema' in ck else ck['model'])
        model = plain_copy(model, ck.get('weight_norm', False))
        meta = dict(ck['meta'])
        if args.heldout:
            start = time.time()
            test = pad_images(load_idx_images(find_file(args.data, 't10k-images')))
            meta['test_bpd'] = bits_per_dim(model, test)
            meta['test_images'] = int(test.shape[0])
            print(json.dumps({'test_bpd': meta['test_bpd'], 'seconds': round(time.time() - start, 1)}), flush=True)
        export(model, args.out, meta)
        return

    if args.fine:
        os.makedirs(args.work, exist_ok=True)
        model, log = dense_stage(args)
        final = log['epochs'][-1]
        meta = {'stage': 'dense', 'fine': log['fine_checkpoint_meta'], 'arch': log['arch'], 'alpha': log['alpha'],
                'coarse_images': log['coarse_images'], 'epochs_done': len(log['epochs']), 'exported': 'ema',
                'heldout_bpd_subset': final['heldout_bpd_ema'], 'eval_images': log['eval_images']}
        export(model.eval(), args.out, meta)
        return

    torch.manual_seed(args.seed)
    train = load_idx_images(find_file(args.data, 'train-images'))
    test = load_idx_images(find_file(args.data, 't10k-images'))

    def pad(a):
        x = np.zeros((a.shape[0], 32, 32), dtype=np.uint8)
        x[:, 2:30, 2:30] = a
        return torch.from_numpy(x.reshape(a.shape[0], -1))

    train, test = pad(train), pad(test)
    arch = (1, 32, args.scales, args.hidden, args.blocks)
    wn = bool(args.weight_norm)
    init = dict(np.load(args.init)) if args.init else None
    model = build(arch, args.alpha, wn, init)
    ema = build(arch, args.alpha, wn, init)
    ema.load_state_dict(model.state_dict())
    for p in ema.parameters():
        p.requires_grad_(False)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    total_its = args.epochs * (train.shape[0] // args.batch)

    def lr_at(i):
        f = min(1.0, (i + 1) / args.warmup) if args.warmup else 1.0
        if args.cosine:
            f *= 0.5 * (1 + math.cos(math.pi * min(i, total_its) / total_its))
        return args.lr * f
    os.makedirs(args.work, exist_ok=True)
    log = {'data': os.path.realpath(find_file(args.data, 'train-images')), 'train_images': int(train.shape[0]),
           'test_images': int(test.shape[0]), 'arch': list(arch), 'alpha': args.alpha, 'batch': args.batch,
           'lr': args.lr, 'seed': args.seed, 'weight_norm': wn, 'ema': args.ema, 'warmup': args.warmup,
           'cosine': bool(args.cosine), 'weight_decay': args.weight_decay, 'planned_epochs': args.epochs,
           'threads': args.threads, 'init': args.init, 'epochs': []}
    start = time.time()
    it = 0
    stop = False
    n = model.n

    def save(epochs_done):
        meta = {k: log[k] for k in ('data', 'train_images', 'arch', 'alpha', 'batch', 'lr', 'seed', 'weight_norm',
                                    'ema', 'warmup', 'cosine', 'weight_decay', 'planned_epochs', 'init')}
        meta.update(epochs_done=epochs_done, iterations=it, wall_seconds=round(time.time() - start, 1),
                    exported='ema' if args.export_ema else 'last')
        torch.save({'model': model.state_dict(), 'ema': ema.state_dict(), 'arch': list(arch), 'alpha': args.alpha,
                    'weight_norm': wn, 'meta': meta},
                   os.path.join(args.work, 'checkpoint.pt.tmp'))
        os.replace(os.path.join(args.work, 'checkpoint.pt.tmp'), os.path.join(args.work, 'checkpoint.pt'))
        with open(os.path.join(args.work, 'log.json'), 'w') as f:
            json.dump(log, f, indent=1)
        return meta

    for epoch in range(args.epochs):
        perm = torch.randperm(train.shape[0])
        total, batches = 0.0, 0
        model.train()
        for b0 in range(0, train.shape[0] - args.batch + 1, args.batch):
            k = train[perm[b0:b0 + args.batch]].float()
            u = (k + torch.rand(k.shape)) / 256.0
            nll = -log_likelihood(model, u).mean()
            opt.zero_grad()
            nll.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 100.0)
            for group in opt.param_groups:
                group['lr'] = lr_at(it)
            opt.step()
            with torch.no_grad():
                d = min(args.ema, (1 + it) / (10 + it))
                for pe, pm in zip(ema.parameters(), model.parameters()):
                    pe.mul_(d).add_(pm, alpha=1 - d)
            bpd = (nll.item() + n * math.log(256.0)) / (n * math.log(2.0))
            total += bpd
            batches += 1
            it += 1
            if it % args.checkpoint_every == 0:
                save(epoch)
                print(f'epoch {epoch} it {it} lr {lr_at(it):.2e} train bits/dim {total / batches:.4f} '
                      f'{time.time() - start:.0f}s', flush=True)
            if it % (10 * args.checkpoint_every) == 0:
                save_grid(ema, os.path.join(args.work, f'samples-{it}.png'))
            if args.max_minutes and time.time() - start > 60 * args.max_minutes:
                stop = True
                break
        model.eval()
        entry = {'epoch': epoch + 1, 'batches': batches, 'train_bpd': total / batches, 'complete': not stop,
                 'heldout_bpd_ema_subset': bits_per_dim(ema, test[:args.eval_images]),
                 'eval_images': args.eval_images, 'wall_seconds': round(time.time() - start, 1)}
        save_grid(ema, os.path.join(args.work, f'samples-epoch{epoch + 1}.png'))
        save_grid(ema, os.path.join(args.work, f'samples-epoch{epoch + 1}-t0.7.png'), temperature=0.7)
        log['epochs'].append(entry)
        save(epoch + (0 if stop else 1))
        print(json.dumps(entry), flush=True)
        if stop:
            break
    model.eval()
    final = ema if args.export_ema else model
    log['test_bpd'] = bits_per_dim(final, test)
    log['test_bpd_last_weights'] = bits_per_dim(model, test)
    log['wall_seconds'] = round(time.time() - start, 1)
    meta = save(len([e for e in log['epochs'] if e['complete']]))
    meta['test_bpd'] = log['test_bpd']
    with open(os.path.join(args.work, 'log.json'), 'w') as f:
        json.dump(log, f, indent=1)
    print(json.dumps({'test_bpd': log['test_bpd'], 'test_bpd_last_weights': log['test_bpd_last_weights']}), flush=True)
    export(plain_copy(final, wn), args.out, meta)


if __name__ == '__main__':
    main()
