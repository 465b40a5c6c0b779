/**
 * Spectral measures of Ω by block Lanczos, so that the ODE theory of online SGD runs at any N
 * without the O(N³) eigendecomposition (docs/theory.md §5.12; the ODEs are those of §5.3–§5.5,
 * the initial conditions those of §5.7–§5.8).
 *
 * <h2>Why a quadrature applies</h2>
 * Each eigen-direction τ evolves by a linear ODE in its densities (q(τ), r(τ), t̃(τ)) whose
 * coefficients depend only on ρ_τ and on the global (Q, R, v); its initial densities are products
 * of the projections of the block X = [w_1 … w_K, b_1 … b_M] on e_τ (b_m = Φθ_m for the teacher on
 * the latent, θ_m on the input). Given the trajectory of the globals, q(τ, t) is therefore
 * y_τᵀ F(ρ_τ, t) y_τ + c(ρ_τ, t), with y_τ = Xᵀe_τ, F and c analytic in ρ, and c coming from the
 * constant η²ρ v_k v_l E_kl term of dq/dt alone. Hence
 * <pre>
 *   Q(t) = (1/N) Σ_τ ρ_τ y_τᵀ F(ρ_τ,t) y_τ + (1/N) Σ_τ ρ_τ c(ρ_τ,t)
 *        = (1/N) ∫ ρ tr[F(ρ,t) dM(ρ)]      + (1/N) ∫ ρ c(ρ,t) dμ(ρ)
 * </pre>
 * with (a) the matrix-valued spectral measure dM = Σ_τ y_τ y_τᵀ δ(ρ − ρ_τ) = Xᵀ δ(ρ − Ω) X, and
 * (b) the plain measure dμ = Σ_τ δ(ρ − ρ_τ); the same holds for R and T (input teacher). Any
 * quadrature of (a) and (b) that is accurate for the integrands gives Q, R, ε_g to that accuracy,
 * and the ODE right-hand side, being the same for every node, runs unchanged on the nodes.
 *
 * <h2>Block Gauss rule</h2>
 * m steps of block Lanczos from X (X = Q_1 B_0, full reorthogonalisation, deflation of
 * dependent directions) give Ω Q = Q T_m + Q_{m+1} B_m E_mᵀ with T_m = Qᵀ Ω Q block tridiagonal
 * of size Σ p_i ≤ p·m. With T_m = S Θ Sᵀ the block Gauss rule is
 * <pre>
 *   Xᵀ f(Ω) X ≈ B_0ᵀ E_1ᵀ f(T_m) E_1 B_0 = Σ_j f(θ_j) y_j y_jᵀ,   y_j = B_0ᵀ (S_{1:p_1, j})
 * </pre>
 * exact for every polynomial of degree ≤ 2m − 1 (Golub–Meurant): for degree ≤ m − 1 Ω^i X lies in
 * the Krylov space, so Xᵀ Ω^{i+j} X = (Ω^i X)ᵀ(Ω^j X) equals the same expression in T_m for
 * i, j ≤ m − 1, and the residual block Q_{m+1} B_m is orthogonal to the space, which adds the odd
 * degree 2m − 1. The nodes θ_j are Ritz values and y_j = Xᵀ z_j the projections of X on the Ritz
 * vectors z_j. For f analytic in a Bernstein ellipse around the spectrum the error decays like
 * r^{−2m}; when the Krylov space becomes invariant (a block deflates to nothing) the rule is exact
 * for every f — for example after about (D + p)/p steps for a single-layer generator with the
 * linearised Ω, whose spectrum has D + 1 distinct values.
 * <p>Nodes of (a) carry the densities of §5.7 built from y_j and no constant term; nodes of (b)
 * carry zero densities and the constant term with their weight
 * ({@link org.gequiv.online.OdeInitialState#noiseWeights()}); the normaliser N is the total weight.
 *
 * <h2>Plain measure</h2>
 * Exactly, from the eigenvalues of Ω alone (LAPACK without eigenvectors), or by stochastic
 * Lanczos quadrature: block Lanczos from P Rademacher probes Z gives tr f(Ω) ≈ (1/P) Σ_j f(θ_j)
 * ‖y_j‖², unbiased up to the quadrature error, with standard error O(‖f(Ω)‖_F √(2/P)); or deflated
 * (Hutch++-style): the trace over Q_1 = orth(Ω[Φ, G]) by a deterministic block Gauss rule, the
 * rest by the probes projected off Q_1, with error O(‖f(Ω_⊥)‖_F √(2/P)); Q_1 has at most max(N/8, 24)
 * vectors ({@link org.gequiv.spectral.PlainMeasure#deflationRank}), beyond which it would cost more
 * than half of the eigenvalues. The default (auto) takes the eigenvalues up to
 * N = {@link org.gequiv.spectral.PlainMeasure#EIGENVALUES_LIMIT} and wherever D + 8 exceeds that
 * cap, the deflated measure otherwise, and the eigenvalues after all when the deflated estimate
 * misses the tolerance ({@link org.gequiv.spectral.SpectralTheory}).
 *
 * <h2>Error estimate</h2>
 * A posteriori: the curves of m and m + Δm block steps are both integrated (one decomposition
 * gives both rules) and the largest relative change of ε_g, Q, R at a recorded time estimates the
 * error of the m-step curve; for exponentially convergent quadrature it bounds the error of the
 * returned (m + Δm)-step curve by a wide margin. The stochastic part is a 99 % confidence bound:
 * the probes are split into four disjoint groups, the curve is integrated on each group's weights,
 * and Student's t(3) = 5.841 times the standard error of the mean over the groups is taken at
 * every recorded time for ε_g and every entry of Q and R (relative as above).
 *
 * <h2>Ω·V</h2>
 * From an explicit matrix ({@link org.gequiv.spectral.ExplicitCovariance}, analytic moments or a
 * moments file: its lower triangle read from the heap in every product, Ω held once) or matrix-free from the analytic kernel of a random generator
 * ({@link org.gequiv.spectral.KernelCovariance}), in row blocks, memory O(N·(H + p·m)). A product
 * reads all of Ω whatever the number of vectors, so independent Lanczos processes on the same Ω
 * step together in one product ({@link org.gequiv.spectral.BlockLanczos#extendTogether}): the
 * rule's first round rides on the products of the stochastic plain measure.
 */
package org.gequiv.spectral;
