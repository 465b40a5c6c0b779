"""Writes the .npy/.npz fixtures of NpyTest and OdeTheoryTest with numpy (run from this folder).

The files are committed so that the tests need no python; rerun only to regenerate them.
"""
import io
import numpy as np

a = np.arange(24, dtype=np.float64).reshape(2, 3, 4) / 7.0 - 1.0  # C-order reference values

np.save('f8_le_c.npy', a.astype('<f8'))
np.save('f8_be_f.npy', np.asfortranarray(a.astype('>f8')))
np.save('f4_le_c.npy', a.astype('<f4'))
np.save('f4_be_f.npy', np.asfortranarray(a.astype('>f4')))
np.save('f8_matrix_f.npy', np.asfortranarray(np.arange(6.0).reshape(2, 3)))
np.save('scalar.npy', np.float64(2.5))
with open('v2_header.npy', 'wb') as f:
    np.lib.format.write_array(f, a, version=(2, 0))
np.save('int64.npy', np.arange(5, dtype=np.int64))

np.savez('stored.npz', x=a, s=np.float64(-3.25), v=np.array([1.0, 2.0]))
np.savez_compressed('deflated.npz', x=a, s=np.float64(-3.25), v=np.array([1.0, 2.0]))

good = open('f8_le_c.npy', 'rb').read()
open('truncated.npy', 'wb').write(good[:-13])
open('bad_magic.npy', 'wb').write(b'\x93NUMPZ' + good[6:])
open('not_a_zip.npz', 'wb').write(b'this is not a zip archive at all' * 4)
z = open('deflated.npz', 'rb').read()
open('truncated.npz', 'wb').write(z[: len(z) // 2])

# toy4 of reference-values.md §1
rho = np.array([0.5, 1, 1.5, 2])
A_ = np.array([[1, .5, -.5, .2], [.3, -1, .4, .8]])
B_ = np.array([[.6, -.2, .4, .7], [.1, .5, -.6, .3]])
q = np.einsum('kt,lt->klt', A_, A_)
r = np.einsum('kt,mt->kmt', A_, B_)
tt = np.einsum('nt,mt->nmt', B_, B_)
np.savez('../online/toy4.npz', rho=rho, q=q, r=r, tildet=tt, T=np.array([[1, .1], [.1, .9]]),
         A=np.array([1.0, 1.0]), v=np.array([.5, .4]), delta=np.float64(0.5))
# the same with r of the wrong shape (K, M, N) = (2, 2, 3)
np.savez('../online/toy4_bad_r.npz', rho=rho, q=q, r=r[:, :, :3], tildet=tt, T=np.array([[1, .1], [.1, .9]]),
         A=np.array([1.0, 1.0]), v=np.array([.5, .4]), delta=np.float64(0.5))
