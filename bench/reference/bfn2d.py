"""PyTorch reference of the 2D playground's model, loss, optimiser and sampler, for `npm run bench`.

The same computation as the TypeScript code, written the plain PyTorch way, so that the benchmark can say how far
TensorFlow.js is from PyTorch on the same work (scripts/bench.ts spawns this file and talks to it over stdin/stdout):

- network (src/nets/mlp.ts `createMlp`): input [mu, emb(t)] with emb(t) = [sin(2 pi f_k t), cos(2 pi f_k t)],
  f_k = 2^(k/2), k = 0..F/2-1; `depth` hidden layers h = swish(h W + b) of `width` units (Glorot-uniform weights,
  zero biases); a zero-initialised linear output layer predicting the noise eps_hat [B, 2].
- Bayesian flow (src/bfn/continuous.ts `ctsFlowSample`; paper section 4, eq. 77; official model.py
  `CtsBayesianFlow.forward`): t ~ U(0, 1) per row (`BFN.sample_t`), gamma = 1 - sigma1^(2t),
  mu = gamma x + sqrt(gamma (1 - gamma)) eps.
- output (src/bfn/continuous.ts `ctsXHatFromEps`; official probability.py `PredDistToDataDistFactory` with
  `noise_pred_params_to_data_pred_params`, `DeltaFactory(clip_range=1)`): x_hat = mu / gamma - sqrt(sigma1^(2t) / gamma)
  eps_hat with t clamped at 1e-6, x_hat = 0 where t < 1e-6, clipped to [-1, 1].
- loss (src/bfn/continuous.ts `ctsLossInf`, src/bfn/losses.ts `bfnLoss`; paper eq. 101 and Algorithm 2; official
  model.py `CtsBayesianFlowLoss.cts_time_loss`, `BFN.forward`): L^inf = -ln(sigma1) (x - x_hat)^2 sigma1^(-2t), mean
  over rows and dimensions (nats per dimension).
- optimiser (src/train/trainer2d.ts): Adam, beta = (0.9, 0.999), eps = 1e-7 (TF.js's default), no EMA.
- sampler (src/bfn/sampler.ts `sample`; paper Algorithm 3, Bayesian update eqs. 49-50; official model.py
  `BFN.sample`, `CtsBayesianFlow.get_alpha`, `update_input_params`): mu = 0, rho = 1; for i = 1..n: x_hat at
  t = (i-1)/n, alpha_i = sigma1^(-2i/n) (1 - sigma1^(2/n)), y = x_hat + z / sqrt(alpha_i), rho' = rho + alpha_i,
  mu' = (rho mu + alpha_i y) / rho'; the answer is x_hat at t = 1. rho and alpha are Python floats (float64).
- BFN-Solvers (src/bfn/solversContinuous.ts `ctsSolverSample`; Xue et al., "Unifying Bayesian Flow Networks and
  Diffusion Models through Stochastic Differential Equations", ICML 2024, arXiv:2404.15766, Table 1 and Algorithms
  1-3; official code ML-GSAI/BFN-Solver at 8002f24, `bfnsolver_i.py` `ImageBFNSolver` and `batch_sample`):
  ode_bfnsolver1, ode_bfnsolver2_multi_step, sde_bfnsolver1, sde_bfnsolver2_multi_step on the grid
  t_i = 1 - (n - i)/n (1 - eta), eta = 0.01, with `last_drop`; mu_0 = z sqrt(gamma_0 (1 - gamma_0)); each step
  x_hat = clip((mu - sigma_i eps_hat) / gamma_i, -1, 1) and mu' = a mu + b x_hat + c x_hat_prev + d z with float64
  coefficients (`solver_coefficients`).

Paper: Graves, Srivastava, Atkinson, Gomez, "Bayesian Flow Networks", arXiv:2308.07037 (2023). Official code:
nnaisense/bayesian-flow-networks (commit b62568e). Equation numbers are the paper's (e.g. eq. 77, 101).

Usage:
    python3 bench/reference/bfn2d.py serve     # the benchmark protocol below, one JSON object per line
    python3 bench/reference/bfn2d.py selftest  # shapes, the untrained network's closed-form loss, a short training

Protocol of `serve` (requests on stdin, one answer line each on stdout; an answer {"error": "..."} on failure):
    {"cmd": "hello"}                                   -> {"torch": version, "threads": 1, "blas": [loaded BLAS files]}
    {"cmd": "check", "config": C, "weights": [[shape, values], ...], "x": [B*2], "t": [B], "eps": [B*2],
     "points": N, "steps": n, "senderNoise": [n*N*2]}  -> {"loss": L^inf, "samples": [N*2]}
    {"cmd": "check_solver", "config": C, "weights": [...], "algorithm": A, "points": N, "steps": n,
     "noise": [(1 + n)*N*2]}                           -> {"samples": [N*2]} (noise[0]: initial state, noise[1 + i]: step i's z)
    {"cmd": "setup", "task": "train" | "sample", "config": C, "data": [M*2], "sampler": "original" | A}
                                                       -> {"ok": true} (after a warm-up; sampler only for "sample";
                                                          a "sample" session is kept and reused for the same C and A)
    {"cmd": "block", "count": k}                       -> {"ms": wall milliseconds of k training steps / k samplings}
    {"cmd": "quit"}
C = {"width", "depth", "timeFeatures", "batch", "sigma1", "learningRate", "seed", "samplePoints", "sampleSteps"};
A is one of SOLVERS;
weights are TF.js's [W, b] per layer, W of shape [in, out], row-major.

Threads: one (`torch.set_num_threads(1)`); run with OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=1, which scripts/bench.ts
sets, since busy-waiting OpenMP threads make torch 2-47x slower on a shared 2-core machine.
"""

import json
import math
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

T_MIN = 1e-6  # src/bfn/constants.ts T_MIN; official PredDistToDataDistFactory's t_min
X_CLIP = 1.0  # src/bfn/constants.ts X_CLIP; official DeltaFactory(clip_range=1.0)


class Mlp(nn.Module):
    """Psi(mu, t) of src/nets/mlp.ts: [mu, emb(t)] -> depth x (linear, swish) -> linear (zero at start) -> eps_hat.

    mu: [B, D] float32; t: [B, 1] in [0, 1]. Returns eps_hat [B, D].
    """

    def __init__(self, dim: int, width: int, depth: int, time_features: int = 16):
        super().__init__()
        if time_features < 2 or time_features % 2:
            raise ValueError(f"time_features must be even and >= 2, got {time_features}")
        half = time_features // 2
        self.register_buffer("freqs", torch.tensor([[2 * math.pi * 2 ** (k / 2) for k in range(half)]]))
        sizes = [dim + time_features] + [width] * depth
        self.hidden = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        self.out = nn.Linear(width, dim)
        for layer in self.hidden:  # Glorot uniform and zero bias, as createMlp
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, mu: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        angles = t.reshape(-1, 1) @ self.freqs
        h = torch.cat([mu, torch.sin(angles), torch.cos(angles)], 1)
        for layer in self.hidden:
            h = F.silu(layer(h))
        return self.out(h)

    def load_tfjs(self, weights: list) -> None:
        """Copies TF.js variables [W0, b0, ..., W_out, b_out] (W as [in, out], row-major) into the layers."""
        layers = list(self.hidden) + [self.out]
        if len(weights) != 2 * len(layers):
            raise ValueError(f"expected {2 * len(layers)} weight tensors, got {len(weights)}")
        with torch.no_grad():
            for k, layer in enumerate(layers):
                (w_shape, w), (b_shape, b) = weights[2 * k], weights[2 * k + 1]
                if list(w_shape) != [layer.in_features, layer.out_features] or list(b_shape) != [layer.out_features]:
                    raise ValueError(f"layer {k}: shapes {w_shape}, {b_shape} do not fit {layer}")
                layer.weight.copy_(torch.tensor(w, dtype=torch.float32).reshape(w_shape).T)
                layer.bias.copy_(torch.tensor(b, dtype=torch.float32))


def x_hat_from_eps(mu: torch.Tensor, eps_hat: torch.Tensor, t: torch.Tensor, sigma1: float) -> torch.Tensor:
    """x_hat(theta, t) from the predicted noise (official `noise_pred_params_to_data_pred_params` + `DeltaFactory`).

    mu, eps_hat: [B, D]; t: [B, 1]. Returns [B, D] in [-1, 1]; 0 where t < 1e-6.
    """
    tc = t.clamp(min=T_MIN)
    post_var = torch.pow(sigma1**2, tc)  # sigma1^(2t)
    gamma = 1 - post_var
    x_hat = mu / gamma - torch.sqrt(post_var / gamma) * eps_hat
    x_hat = torch.where(t < T_MIN, torch.zeros_like(x_hat), x_hat)
    return x_hat.clamp(-X_CLIP, X_CLIP)


def loss_inf(net: Mlp, x: torch.Tensor, sigma1: float, t: torch.Tensor = None, eps: torch.Tensor = None) -> torch.Tensor:
    """The batch loss mean L^inf (paper eq. 101; official `CtsBayesianFlow.forward` + `cts_time_loss`), a scalar in
    nats per dimension. x: [B, D] in [-1, 1]; t: [B, 1] (drawn U(0, 1) when None); eps: [B, D] (drawn N(0, 1))."""
    if t is None:
        t = torch.rand(x.shape[0], 1)
    if eps is None:
        eps = torch.randn_like(x)
    post_var = torch.pow(sigma1**2, t)
    gamma = 1 - post_var
    mu = gamma * x + torch.sqrt(gamma * post_var) * eps
    x_hat = x_hat_from_eps(mu, net(mu, t), t, sigma1)
    return (-math.log(sigma1) * (x - x_hat).square() / post_var).mean()


def alpha_i(i: int, n: int, sigma1: float) -> float:
    """alpha_i = sigma1^(-2i/n) (1 - sigma1^(2/n)) in float64 (official `CtsBayesianFlow.get_alpha`)."""
    return sigma1 ** (-2 * i / n) * -math.expm1(2 / n * math.log(sigma1))


@torch.no_grad()
def sample(net: Mlp, points: int, steps: int, sigma1: float, sender_noise: torch.Tensor = None) -> torch.Tensor:
    """The n-step sampler (paper Algorithm 3; official `BFN.sample`). sender_noise: [steps, points, 2] or None (drawn).
    Returns x_hat(theta_n, 1), [points, 2]."""
    mu, rho = torch.zeros(points, 2), 1.0
    for i in range(1, steps + 1):
        t = torch.full((points, 1), (i - 1) / steps)
        x_hat = x_hat_from_eps(mu, net(mu, t), t, sigma1)
        alpha = alpha_i(i, steps, sigma1)
        z = torch.randn(points, 2) if sender_noise is None else sender_noise[i - 1]
        y = x_hat + z / math.sqrt(alpha)
        mu, rho = (rho * mu + alpha * y) / (rho + alpha), rho + alpha
    t = torch.ones(points, 1)
    return x_hat_from_eps(mu, net(mu, t), t, sigma1)


SOLVERS = ("ode_bfnsolver1", "ode_bfnsolver2_multi_step", "sde_bfnsolver1", "sde_bfnsolver2_multi_step")
SOLVER_ETA = 0.01  # src/bfn/solverCommon.ts SOLVER_DEFAULT_ETA.continuous; official cifar10_continuous_256bins.yaml


def solver_schedule(n: int, eta: float, sigma1: float) -> dict:
    """The float64 schedule at the grid points i = 0..n (src/bfn/solversContinuous.ts `ctsSolverSchedule`; official
    `ImageBFNSolver.__init__`): t_i = 1 - (n - i)/n (1 - eta), gamma = 1 - sigma1^(2t), beta = sigma1^(-2t) - 1,
    rho = 1 + beta, sigma = sqrt(gamma (1 - gamma)), lambda = 0.5 ln beta. Lists of n + 1 floats."""
    ln_s = math.log(sigma1)
    t = [1 - (n - i) / n * (1 - eta) for i in range(n + 1)]
    gamma = [-math.expm1(2 * v * ln_s) for v in t]
    beta = [math.expm1(-2 * v * ln_s) for v in t]
    return {
        "t": t, "gamma": gamma, "beta": beta,
        "rho": [math.exp(-2 * v * ln_s) for v in t],
        "sigma": [math.sqrt(g * math.exp(2 * v * ln_s)) for g, v in zip(gamma, t)],
        "lam": [0.5 * math.log(b) for b in beta],
    }


def solver_coefficients(algorithm: str, i: int, sch: dict) -> tuple:
    """(a, b, c, d) of step i's update mu' = a mu + b x_hat + c x_hat_prev + d z, float64 (src/bfn/solversContinuous.ts
    `ctsSolverCoefficients`; official `ode_bfnsolver1_update`, `ode_bfnsolver2_multi_step_update`,
    `sde_bfnsolver2_multi_step_update`, whose step 0 is sde_bfnsolver1). Second order from i >= 1 with r = h_{i-1}/h."""
    gamma, sigma, rho, beta, lam = sch["gamma"], sch["sigma"], sch["rho"], sch["beta"], sch["lam"]
    h = lam[i + 1] - lam[i]
    second = algorithm.endswith("multi_step") and i >= 1
    r = (lam[i] - lam[i - 1]) / h if second else math.nan
    if algorithm.startswith("ode_"):
        k = gamma[i + 1] * -math.expm1(-h)
        return (sigma[i + 1] / sigma[i], k * (1 + 1 / (2 * r)) if second else k, -k / (2 * r) if second else 0.0, 0.0)
    if algorithm.startswith("sde_"):
        alpha = beta[i + 1] - beta[i]
        k = alpha / rho[i + 1]
        return (rho[i] / rho[i + 1], k * (1 + 1 / (2 * r)) if second else k, -k / (2 * r) if second else 0.0, math.sqrt(alpha) / rho[i + 1])
    raise ValueError(f"unknown solver {algorithm!r}; known: {', '.join(SOLVERS)}")


@torch.no_grad()
def solver_sample(net: Mlp, points: int, steps: int, sigma1: float, algorithm: str, noise: torch.Tensor = None) -> torch.Tensor:
    """A BFN-Solver run with `last_drop` (src/bfn/solversContinuous.ts `ctsSolverSample`; official `batch_sample`).
    noise: [1 + steps, points, 2] (noise[0] the initial state's, noise[1 + i] step i's z, used by the SDE solvers
    only) or None (drawn). Returns the last step's x_hat, [points, 2] in [-1, 1]."""
    if algorithm not in SOLVERS:
        raise ValueError(f"unknown solver {algorithm!r}; known: {', '.join(SOLVERS)}")
    sch = solver_schedule(steps, SOLVER_ETA, sigma1)
    draw = (lambda k: torch.randn(points, 2)) if noise is None else (lambda k: noise[k])
    mu = draw(0) * sch["sigma"][0]
    multistep, sde = algorithm.endswith("multi_step"), algorithm.startswith("sde_")
    x_prev = None
    for i in range(steps):
        eps_hat = net(mu, torch.full((points, 1), sch["t"][i]))
        x_hat = ((mu - eps_hat * sch["sigma"][i]) / sch["gamma"][i]).clamp(-X_CLIP, X_CLIP)
        z = draw(1 + i) if sde else None
        if i == steps - 1 and not (multistep and i == 0):  # last_drop (the multistep solvers update on step 0)
            return x_hat
        a, b, c, d = solver_coefficients(algorithm, i, sch)
        mu = mu * a + x_hat * b + (x_prev * c if c else 0) + (z * d if sde else 0)
        x_prev = x_hat
    return mu


class Session:
    """One benchmark task ('train' or 'sample') with its network, optimiser and data, warmed up on creation."""

    def __init__(self, task: str, config: dict, data: list, sampler: str = "original"):
        if task not in ("train", "sample"):
            raise ValueError(f"unknown task {task!r}")
        if sampler != "original" and sampler not in SOLVERS:
            raise ValueError(f"unknown sampler {sampler!r}; known: original, {', '.join(SOLVERS)}")
        self.task, self.c, self.sampler = task, config, sampler
        torch.manual_seed(int(config.get("seed", 1)))
        self.net = Mlp(2, int(config["width"]), int(config["depth"]), int(config.get("timeFeatures", 16)))
        self.opt = torch.optim.Adam(self.net.parameters(), lr=float(config["learningRate"]), eps=1e-7)
        self.data = torch.tensor(data, dtype=torch.float32).reshape(-1, 2)
        if task == "train":
            self.run(5)
        else:
            self.sample_once(2)

    def sample_once(self, steps: int) -> torch.Tensor:
        """One sampling run of `samplePoints` points with the session's sampler."""
        points, sigma1 = int(self.c["samplePoints"]), float(self.c["sigma1"])
        if self.sampler == "original":
            return sample(self.net, points, steps, sigma1)
        return solver_sample(self.net, points, steps, sigma1, self.sampler)

    def train_step(self) -> float:
        """A step as Trainer2D.trainStep: a batch drawn with replacement, L^inf, backward, Adam, the loss read back."""
        x = self.data[torch.randint(self.data.shape[0], (int(self.c["batch"]),))]
        self.opt.zero_grad(set_to_none=True)
        loss = loss_inf(self.net, x, float(self.c["sigma1"]))
        loss.backward()
        self.opt.step()
        return loss.item()

    def run(self, count: int) -> float:
        """Runs `count` training steps or samplings; returns their wall time in milliseconds."""
        t0 = time.perf_counter()
        for _ in range(count):
            if self.task == "train":
                self.train_step()
            else:
                self.sample_once(int(self.c["sampleSteps"]))
        return (time.perf_counter() - t0) * 1000


def net_of(req: dict) -> Mlp:
    """The network of a check request: the config's shape with the request's TF.js weights."""
    c = req["config"]
    net = Mlp(2, int(c["width"]), int(c["depth"]), int(c.get("timeFeatures", 16)))
    net.load_tfjs(req["weights"])
    return net


def check(req: dict) -> dict:
    """The loss and the samples for given weights and noise, to compare with the TypeScript code (see the protocol)."""
    c = req["config"]
    net = net_of(req)
    sigma1 = float(c["sigma1"])
    x = torch.tensor(req["x"], dtype=torch.float32).reshape(-1, 2)
    t = torch.tensor(req["t"], dtype=torch.float32).reshape(-1, 1)
    eps = torch.tensor(req["eps"], dtype=torch.float32).reshape(-1, 2)
    with torch.no_grad():
        loss = loss_inf(net, x, sigma1, t, eps).item()
    points, steps = int(req["points"]), int(req["steps"])
    noise = torch.tensor(req["senderNoise"], dtype=torch.float32).reshape(steps, points, 2)
    return {"loss": loss, "samples": sample(net, points, steps, sigma1, noise).flatten().tolist()}


def check_solver(req: dict) -> dict:
    """A solver's samples for given weights and noise, to compare with the TypeScript code (see the protocol)."""
    net = net_of(req)
    points, steps = int(req["points"]), int(req["steps"])
    noise = torch.tensor(req["noise"], dtype=torch.float32).reshape(1 + steps, points, 2)
    out = solver_sample(net, points, steps, float(req["config"]["sigma1"]), req["algorithm"], noise)
    return {"samples": out.flatten().tolist()}


def blas_libraries() -> list:
    """The BLAS shared libraries this process has loaded (Linux: from /proc/self/maps; [] elsewhere). Debian's torch
    uses whatever libblas.so.3 the system selects; the reference (netlib) BLAS makes matrix products several times
    slower than OpenBLAS, which matters for a fair comparison."""
    try:
        with open("/proc/self/maps") as maps:
            return sorted({line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line})
    except OSError:
        return []


def run_block(session, req) -> dict:
    """Answers {"cmd": "block", "count": k}: the wall milliseconds of k steps of the session set up last."""
    if session is None:
        raise RuntimeError("block before setup")
    return {"ms": session.run(int(req["count"]))}


def serve_requests(handle) -> None:
    """Reads one JSON request a line from stdin until {"cmd": "quit"} or the end of stdin, and writes one JSON answer a
    line: {"cmd": "hello"} is answered here (torch's version, its threads, the BLAS it loaded), every other request by
    `handle(request)`, and an exception as {"error": "Type: message"} (the caller stops with it)."""
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            cmd = req.get("cmd")
            if cmd == "quit":
                break
            if cmd == "hello":
                answer = {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_libraries()}
            else:
                answer = handle(req)
        except Exception as err:  # reported to the caller, which stops with the message
            answer = {"error": f"{type(err).__name__}: {err}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


def main(file: str, serve, selftest) -> None:
    """The command line of a reference file: `serve` or `selftest`, torch on one thread."""
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "serve":
        serve()
    elif mode == "selftest":
        selftest()
    else:
        sys.stderr.write(f"usage: python3 bench/reference/{file} serve|selftest\n")
        sys.exit(2)


def serve() -> None:
    """Answers the protocol of the module docstring until "quit" or the end of stdin."""
    session = None
    samplers = {}  # sampling sessions by (config, sampler): the samplers row switches between them every block

    def handle(req: dict) -> dict:
        nonlocal session
        cmd = req.get("cmd")
        if cmd == "check":
            return check(req)
        if cmd == "check_solver":
            return check_solver(req)
        if cmd == "setup":
            sampler = req.get("sampler", "original")
            if req["task"] == "sample":
                key = json.dumps([req["config"], sampler], sort_keys=True)
                if key not in samplers:
                    samplers[key] = Session("sample", req["config"], req["data"], sampler)
                session = samplers[key]
            else:
                session = Session(req["task"], req["config"], req["data"], sampler)
            return {"ok": True}
        if cmd == "block":
            return run_block(session, req)
        raise ValueError(f"unknown command {cmd!r}")

    serve_requests(handle)


def loss_falls(train_step, steps: int = 200) -> tuple:
    """Runs `train_step` (which returns the step's loss) 20 + steps + 20 times; asserts that the mean loss of the last
    20 steps is below that of the first 20, and returns both means."""
    first = sum(train_step() for _ in range(20)) / 20
    for _ in range(steps):
        train_step()
    last = sum(train_step() for _ in range(20)) / 20
    assert last < first, (first, last)
    return first, last


def selftest() -> None:
    """Checks without TypeScript: shapes; the untrained network (eps_hat = 0) gives the closed-form loss
    -ln(sigma1) (x - clip(mu / gamma))^2 sigma1^(-2t); a short training run lowers the loss."""
    torch.manual_seed(0)
    sigma1 = 0.02
    net = Mlp(2, 128, 3)
    x = torch.rand(64, 2) * 2 - 1
    t, eps = torch.rand(64, 1), torch.randn(64, 2)
    assert net(x, t).shape == (64, 2) and sample(net, 10, 3, sigma1).shape == (10, 2)
    # The SDE solver of first order is the original update on the solver grid (Xue et al. Proposition 4.2): its
    # coefficients satisfy rho_t = rho_s + alpha, and every solver runs and stays in [-1, 1].
    sch = solver_schedule(10, SOLVER_ETA, sigma1)
    a, b, _, d = solver_coefficients("sde_bfnsolver1", 3, sch)
    assert abs(a + b - 1) < 1e-12 and abs(d * d * sch["rho"][4] ** 2 - (sch["beta"][4] - sch["beta"][3])) < 1e-9
    for algorithm in SOLVERS:
        assert solver_sample(net, 10, 3, sigma1, algorithm).abs().max() <= 1
    post_var = torch.pow(sigma1**2, t)
    gamma = 1 - post_var
    mu = gamma * x + torch.sqrt(gamma * post_var) * eps
    closed = (-math.log(sigma1) * (x - (mu / gamma).clamp(-1, 1)).square() / post_var).mean().item()
    got = loss_inf(net, x, sigma1, t, eps).item()
    assert abs(got - closed) <= 1e-5 * abs(closed), (got, closed)
    data = torch.cat([torch.rand(512, 1) * 2 - 1, torch.zeros(512, 1)], 1).flatten().tolist()
    first, last = loss_falls(Session("train", {"width": 64, "depth": 2, "batch": 256, "sigma1": sigma1, "learningRate": 2e-3}, data).train_step)
    print(f"ok: untrained loss {got:.6f} = closed form {closed:.6f}; training loss {first:.3f} -> {last:.3f}")


if __name__ == "__main__":
    main("bfn2d.py", serve, selftest)
