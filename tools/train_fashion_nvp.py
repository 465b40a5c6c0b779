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


class ResNet(nn.Module):
    def __init__(self, n_in, n_out, hidden, blocks):
        super().__init__()
        self.inp = nn.Conv2d(n_in, hidden, 3, padding=1)
        self.blocks = nn.ModuleList()
        for _ in range(blocks):
            self.blocks.append(nn.ModuleList([nn.Conv2d(hidden, hidden, 3, padding=1),
                                              nn.Conv2d(hidden, hidden, 3, padding=1)]))
        self.out = nn.Conv2d(hidden, 2 * n_out, 3, padding=1)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, x):
        h = self.inp(x)
        for c1, c2 in self.blocks:
            h = h + c2(F.relu(c1(F.relu(h))))
        return self.out(F.relu(h))


class Coupling(nn.Module):
    def __init__(self, c, h, channel, parity, hidden, blocks):
        super().__init__()
        self.c, self.h, self.channel, self.parity = c, h, channel, parity
        self.n = c // 2 if channel else c
        self.net = ResNet(self.n, self.n, hidden, blocks)
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


class RealNvp(nn.Module):
    def __init__(self, channels, size, scales, hidden, blocks, alpha):
        super().__init__()
        self.arch = (channels, size, scales, hidden, blocks)
        self.alpha = alpha
        self.n = channels * size * size
        steps = []
        c, h = channels, size
        for level in range(scales):
            last = level == scales - 1
            for i in range(4 if last else 3):
                steps.append(Coupling(c, h, False, i % 2, hidden, blocks))
            if not last:
                steps.append(Squeeze(c, h))
                c, h = 4 * c, h // 2
                for i in range(3):
                    steps.append(Coupling(c, h, True, i % 2, hidden, blocks))
                c //= 2
        self.steps = nn.ModuleList(steps)

    def couplings(self):
        return [s for s in self.steps if isinstance(s, Coupling)]

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


def bits_per_dim(model, pixels, rng_seed=7, batch=500):
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
    c, h, scales, hidden, blocks = model.arch
    out = {'architecture': np.array([c, h, scales, hidden, blocks, model.alpha], dtype=np.float64)}
    for k, cp in enumerate(model.couplings()):
        pre = f'coupling{k}.'
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


def build(arch, alpha):
    return RealNvp(*arch, alpha)


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
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    if args.export_only:
        ck = torch.load(args.export_only)
        model = build(tuple(ck['arch']), ck['alpha'])
        model.load_state_dict(ck['model'])
        export(model, args.out, ck['meta'])
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
    model = build(arch, args.alpha)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    os.makedirs(args.work, exist_ok=True)
    log = {'data': os.path.realpath(find_file(args.data, 'train-images')), 'train_images': int(train.shape[0]),
           'test_images': int(test.shape[0]), 'arch': list(arch), 'alpha': args.alpha, 'batch': args.batch,
           'lr': args.lr, 'seed': args.seed, 'epochs': []}
    start = time.time()
    it = 0
    stop = False
    n = model.n

    def save(epochs_done):
        meta = {k: log[k] for k in ('data', 'train_images', 'arch', 'alpha', 'batch', 'lr', 'seed')}
        meta.update(epochs_done=epochs_done, iterations=it, wall_seconds=round(time.time() - start, 1))
        torch.save({'model': model.state_dict(), 'arch': list(arch), 'alpha': args.alpha, 'meta': meta},
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
            opt.step()
            bpd = (nll.item() + n * math.log(256.0)) / (n * math.log(2.0))
            total += bpd
            batches += 1
            it += 1
            if it % args.checkpoint_every == 0:
                save(epoch)
                print(f'epoch {epoch} it {it} train bits/dim {total / batches:.4f} {time.time() - start:.0f}s',
                      flush=True)
            if args.max_minutes and time.time() - start > 60 * args.max_minutes:
                stop = True
                break
        model.eval()
        entry = {'epoch': epoch + 1, 'batches': batches, 'train_bpd': total / batches, 'complete': not stop,
                 'wall_seconds': round(time.time() - start, 1)}
        log['epochs'].append(entry)
        save(epoch + (0 if stop else 1))
        print(json.dumps(entry), flush=True)
        if stop:
            break
    model.eval()
    log['test_bpd'] = bits_per_dim(model, test)
    log['wall_seconds'] = round(time.time() - start, 1)
    meta = save(len([e for e in log['epochs'] if e['complete']]))
    meta['test_bpd'] = log['test_bpd']
    with open(os.path.join(args.work, 'log.json'), 'w') as f:
        json.dump(log, f, indent=1)
    print(json.dumps({'test_bpd': log['test_bpd']}), flush=True)
    export(model, args.out, meta)


if __name__ == '__main__':
    main()
