#!/usr/bin/env python3
"""Train the DCGAN shipped as models/fashion-dcgan.{onnx,npz} (see tools/README.md).

The generator is the DCGAN of docs/theory.md section 7.1 scaled to one channel (ngf = width):

    c (100, 1, 1) -> ConvT(100 -> 8w, k4 s1 p0)-BN-ReLU -> ConvT(8w -> 4w, k4 s2 p1)-BN-ReLU
                  -> ConvT(4w -> 2w, k4 s2 p1)-BN-ReLU -> ConvT(2w -> w, k4 s2 p1)-BN-ReLU
                  -> ConvT(w -> 1, k1 s1 p0) -> tanh -> x in [-1, 1]^{1 x 32 x 32}

(no biases, as the native DcganGenerator), trained adversarially against the usual DCGAN
discriminator Conv(1 -> w', k4 s2 p1)-LReLU(0.2) -> Conv(w' -> 2w')-BN-LReLU -> Conv(2w' -> 4w')-BN-LReLU
-> Conv(4w' -> 1, k4 s1 p0) -> sigmoid, with the recipe of Radford et al. (2016): Adam lr 2e-4,
beta1 0.5, N(0, 0.02) init of the kernels, N(1, 0.02) of the batch-norm weights, binary cross
entropy, the non-saturating generator loss.

Data: the 60 000 training images of Fashion-MNIST from the Debian package dataset-fashion-mnist
(idx files), padded from 28 x 28 to 32 x 32 with background and scaled to [-1, 1].

Usage (Debian's python, which has torch):
    /usr/bin/python3 tools/train_fashion_dcgan.py --data /usr/share/datasets/fashion-mnist --work /tmp/dcgan --out models
    /usr/bin/python3 tools/train_fashion_dcgan.py --export-only /tmp/dcgan/checkpoint.pt --out models

A checkpoint is written to WORK/checkpoint.pt after every epoch (and every --checkpoint-every
iterations), so a run cut short can still be exported. Writes OUT/fashion-dcgan.onnx (float32,
input 'latent' [batch, 100], output 'image' [batch, 1, 32, 32]), OUT/fashion-dcgan.npz (float32
weights under gequiv's DcganWeights names) and OUT/fashion-dcgan-check.npz (8 latents and the
generator's float64 outputs, for the Java tests), and WORK/log.json with the losses.
"""
import argparse
import gzip
import json
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

LATENT = 100


def load_idx_images(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        magic, n, rows, cols = struct.unpack('>IIII', f.read(16))
        if magic != 2051:
            raise ValueError(f'{path}: idx image magic must be 2051, got {magic}')
        data = np.frombuffer(f.read(), dtype=np.uint8)
    return data.reshape(n, rows, cols)


def find_file(folder, stem):
    for name in sorted(os.listdir(folder)):
        if name.startswith(stem):
            return os.path.join(folder, name)
    raise FileNotFoundError(f'no file {stem}* in {folder}')


class _ConvTFunction(torch.autograd.Function):
    """Transposed convolution written as the input-gradient of a convolution, with both of its
    own gradients again convolutions: every piece runs through oneDNN, whereas Debian torch
    1.13's slow_conv_transpose2d (im2col/col2im) is several times slower on CPU."""

    @staticmethod
    def forward(ctx, x, weight, s, p):
        b, _, h, _ = x.shape
        k = weight.shape[2]
        hout = (h - 1) * s - 2 * p + k
        ctx.save_for_backward(x, weight)
        ctx.s, ctx.p = s, p
        return torch.nn.grad.conv2d_input((b, weight.shape[1], hout, hout), weight, x, stride=s, padding=p)

    @staticmethod
    def backward(ctx, g):
        x, weight = ctx.saved_tensors
        gx = F.conv2d(g, weight, stride=ctx.s, padding=ctx.p)
        gw = torch.nn.grad.conv2d_weight(g, weight.shape, x, stride=ctx.s, padding=ctx.p)
        return gx, gw, None, None


class FastConvT(nn.Module):
    """ConvTranspose2d without bias (same function and weight layout (cin, cout, k, k)) for
    training; the export uses nn.ConvTranspose2d with the same weights."""

    def __init__(self, cin, cout, k, s, p):
        super().__init__()
        self.s, self.p = s, p
        self.weight = nn.Parameter(torch.empty(cin, cout, k, k))

    def forward(self, x):
        return _ConvTFunction.apply(x, self.weight, self.s, self.p)


class Generator(nn.Module):
    def __init__(self, w, fast=False):
        super().__init__()
        chans = [LATENT, 8 * w, 4 * w, 2 * w, w]
        convt = FastConvT if fast else (lambda *a: nn.ConvTranspose2d(*a, bias=False))
        layers = []
        for i in range(4):
            k, s, p = (4, 1, 0) if i == 0 else (4, 2, 1)
            layers += [convt(chans[i], chans[i + 1], k, s, p), nn.BatchNorm2d(chans[i + 1]), nn.ReLU(True)]
        layers += [convt(w, 1, 1, 1, 0), nn.Tanh()]
        self.main = nn.Sequential(*layers)

    def forward(self, c):
        return self.main(c.view(-1, LATENT, 1, 1))


class Discriminator(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(1, w, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, True),
            nn.Conv2d(w, 2 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * w), nn.LeakyReLU(0.2, True),
            nn.Conv2d(2 * w, 4 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(4 * w), nn.LeakyReLU(0.2, True),
            nn.Conv2d(4 * w, 1, 4, 1, 0, bias=False), nn.Sigmoid())

    def forward(self, x):
        return self.main(x).view(-1)


def weights_init(m):
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, FastConvT)):
        nn.init.normal_(m.weight, 0.0, 0.02)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


def gequiv_arrays(netG):
    """The generator's state under DcganWeights' documented names (conv1..5, bn1..4)."""
    sd = netG.state_dict()
    out = {}
    for l in range(5):
        out[f'conv{l + 1}.weight'] = sd[f'main.{3 * l}.weight'].detach().cpu().numpy()
    for l in range(4):
        for f in ('weight', 'bias', 'running_mean', 'running_var'):
            out[f'bn{l + 1}.{f}'] = sd[f'main.{3 * l + 1}.{f}'].detach().cpu().numpy()
    return out


def export(trained, width, out_dir, meta):
    os.makedirs(out_dir, exist_ok=True)
    netG = Generator(width)
    netG.load_state_dict(trained.state_dict())
    netG.eval()
    arrays = {k: v.astype(np.float32) for k, v in gequiv_arrays(netG).items()}
    np.savez(os.path.join(out_dir, 'fashion-dcgan.npz'), **arrays)
    # ONNX from the float32 weights exactly as stored in the npz
    torch.onnx.export(netG, torch.zeros(1, LATENT), os.path.join(out_dir, 'fashion-dcgan.onnx'),
                      input_names=['latent'], output_names=['image'], opset_version=13,
                      dynamic_axes={'latent': {0: 'batch'}, 'image': {0: 'batch'}})
    # trainer's reference outputs in float64 on the same (float32-valued) weights
    rng = np.random.default_rng(20240)
    latents = rng.standard_normal((8, LATENT))
    g64 = Generator(width).double().eval()
    g64.load_state_dict({k: v.double() for k, v in netG.state_dict().items()
                         if v.dtype.is_floating_point} | {k: v for k, v in netG.state_dict().items()
                                                        if not v.dtype.is_floating_point})
    with torch.no_grad():
        outputs = g64(torch.from_numpy(latents)).reshape(8, -1).numpy()
    np.savez(os.path.join(out_dir, 'fashion-dcgan-check.npz'), latents=latents, outputs=outputs,
             meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8).astype(np.float64))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default='/usr/share/datasets/fashion-mnist')
    ap.add_argument('--work', default='/tmp/fashion-dcgan')
    ap.add_argument('--out', default='models')
    ap.add_argument('--ngf', type=int, default=16)
    ap.add_argument('--ndf', type=int, default=16)
    ap.add_argument('--epochs', type=int, default=5)
    ap.add_argument('--batch', type=int, default=128)
    ap.add_argument('--seed', type=int, default=16)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--max-minutes', type=float, default=0, help='stop after this wall time (0: no limit)')
    ap.add_argument('--checkpoint-every', type=int, default=100)
    ap.add_argument('--export-only', help='export this checkpoint and exit')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    if args.export_only:
        ck = torch.load(args.export_only)
        netG = Generator(ck['ngf'])
        netG.load_state_dict(ck['G'])
        export(netG, ck['ngf'], args.out, ck['meta'])
        return

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    images = load_idx_images(find_file(args.data, 'train-images'))
    x = np.full((images.shape[0], 1, 32, 32), -1.0, dtype=np.float32)
    x[:, 0, 2:30, 2:30] = images.astype(np.float32) / 127.5 - 1.0
    data = torch.from_numpy(x)

    netG = Generator(args.ngf, fast=True)
    netD = Discriminator(args.ndf)
    netG.apply(weights_init)
    netD.apply(weights_init)
    optG = torch.optim.Adam(netG.parameters(), lr=2e-4, betas=(0.5, 0.999))
    optD = torch.optim.Adam(netD.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce = nn.BCELoss()
    os.makedirs(args.work, exist_ok=True)
    log = {'data': os.path.realpath(find_file(args.data, 'train-images')), 'images': int(data.shape[0]),
           'ngf': args.ngf, 'ndf': args.ndf, 'batch': args.batch, 'seed': args.seed, 'epochs': []}
    start = time.time()
    it = 0
    stop = False

    def save(epoch_done):
        meta = {k: log[k] for k in ('data', 'images', 'ngf', 'ndf', 'batch', 'seed')}
        meta.update(epochs_done=epoch_done, iterations=it, wall_seconds=round(time.time() - start, 1))
        torch.save({'G': netG.state_dict(), 'D': netD.state_dict(), 'ngf': args.ngf, 'meta': meta},
                   os.path.join(args.work, 'checkpoint.pt.tmp'))
        os.replace(os.path.join(args.work, 'checkpoint.pt.tmp'), os.path.join(args.work, 'checkpoint.pt'))
        with open(os.path.join(args.work, 'log.json'), 'w') as f:
            json.dump(log, f, indent=1)
        return meta

    for epoch in range(args.epochs):
        perm = torch.randperm(data.shape[0])
        sums = np.zeros(4)
        batches = 0
        for b0 in range(0, data.shape[0] - args.batch + 1, args.batch):
            real = data[perm[b0:b0 + args.batch]]
            n = real.shape[0]
            ones = torch.ones(n)
            zeros = torch.zeros(n)
            # discriminator: maximise log D(x) + log(1 - D(G(c)))
            optD.zero_grad()
            d_real = netD(real)
            fake = netG(torch.randn(n, LATENT))
            d_fake = netD(fake.detach())
            lossD = bce(d_real, ones) + bce(d_fake, zeros)
            lossD.backward()
            optD.step()
            # generator: maximise log D(G(c))
            optG.zero_grad()
            d_gen = netD(fake)
            lossG = bce(d_gen, ones)
            lossG.backward()
            optG.step()
            sums += [lossD.item(), lossG.item(), d_real.mean().item(), d_fake.mean().item()]
            batches += 1
            it += 1
            if it % args.checkpoint_every == 0:
                save(epoch)
                print(f'epoch {epoch} it {it} lossD {sums[0] / batches:.3f} lossG {sums[1] / batches:.3f} '
                      f'D(x) {sums[2] / batches:.3f} D(G(c)) {sums[3] / batches:.3f} '
                      f'{time.time() - start:.0f}s', flush=True)
            if args.max_minutes and time.time() - start > 60 * args.max_minutes:
                stop = True
                break
        log['epochs'].append({'epoch': epoch + 1, 'batches': batches, 'lossD': sums[0] / batches,
                              'lossG': sums[1] / batches, 'D_real': sums[2] / batches,
                              'D_fake': sums[3] / batches, 'complete': not stop,
                              'wall_seconds': round(time.time() - start, 1)})
        print(json.dumps(log['epochs'][-1]), flush=True)
        meta = save(epoch + (0 if stop else 1))
        if stop:
            break
    export(netG, args.ngf, args.out, meta)


if __name__ == '__main__':
    main()
