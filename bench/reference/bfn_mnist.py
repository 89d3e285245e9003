"""PyTorch reference of the binarized-MNIST model's training step and sampler, for `npm run bench`.

The same computation as the TypeScript code, written the plain PyTorch way, so that the benchmark can say how far
TensorFlow.js is from PyTorch on the same work (scripts/bench.ts spawns this file and talks to it over stdin/stdout,
as it does with bfn2d.py beside it):

- network (src/nets/mnistNet.ts `createMnistNet` without convolutions): x = 2 theta_0 - 1 [B, 784], e = emb(t) [B, F]
  with emb(t) = [sin(2 pi f_k t), cos(2 pi f_k t)], f_k = 2^(k/2), k = 0..F/2-1; h_1 = swish(x W_1 + e T_1 + b_1),
  h_l = h_l-1 + swish(h_l-1 W_l + e T_l + b_l) for l = 2..depth; logit = h W_out + b_out + skip * x
  + (evidence + e evidenceT) * ln((1 - x_c) / (1 + x_c)), x_c = clip(x, -1 + 1e-6, 1 - 1e-6). At the shipped size
  (width 1024, depth 3, 32 time features) it has 3,806,544 parameters. Weights are kept as TF.js keeps them, W as
  [in, out], under TF.js's names.
- Bayesian flow for K = 2 (src/bfn/discrete.ts `binaryFlowNetInput`; paper section 6, eq. 185; official model.py
  `DiscreteBayesianFlow.forward`): t ~ U(0, 1) per row, sqrt(beta) = min(t, 1 - 1e-6) sqrt(beta1),
  y_0 - y_1 = 2 beta (1 - 2 x) + sqrt(4 beta) z with one standard normal z per pixel, network input
  2 theta_0 - 1 = tanh((y_0 - y_1) / 2), 0 where sqrt(beta) < 1e-10.
- loss (src/bfn/discrete.ts `binaryLossInf`, src/bfn/losses.ts `binaryBfnLossInf`; paper eq. 205; official model.py
  `DiscreteBayesianFlowLoss.cts_time_loss`): L^inf = 4 beta1 t (x - sigmoid(logit))^2, mean over rows and pixels
  (nats per pixel).
- training step (src/train/trainer.ts `Trainer.trainStep`, src/kinds/mnist-binary/trainer.ts): a batch of images
  drawn with replacement and binarized afresh (pixel on with probability intensity / 255), L^inf, backward, the
  global gradient norm and the loss read back, clipping by global norm 5 (`torch.nn.utils.clip_grad_norm_`), AdamW
  (`torch.optim.AdamW`, betas (0.9, 0.98), weight decay 0.01, eps 1e-8) with a linear warm-up of the learning rate,
  and the weight average e <- d e + (1 - d) w with d = min(0.999, (1 + s) / (10 + s)) at step s. As the official code
  (`train.py`: AdamW, clip_grad_norm_).
- sampler for K = 2 (src/bfn/sampler.ts `sample`; paper Algorithm 9 with K = 2, official model.py `BFN.sample`,
  `DiscreteBayesianFlow.get_alpha`, `get_sender_dist`, `update_input_params`): theta = 1/2; for i = 1..n: the logit at
  t = (i - 1)/n, k ~ Bernoulli(sigmoid(logit)), alpha_i = beta1 (2i - 1) / n^2, sender y_k = alpha (2 e_k - 1)
  + sqrt(2 alpha) eps_k, theta' = theta e^y / sum(theta e^y); finally the mode (sigmoid(logit) > 1/2) at t = 1.
  Written on [B, 784] tensors of the log-odds r = ln(theta_1 / theta_0), which the Bayesian update adds to:
  r' = r + (y_1 - y_0) = r + 2 alpha (2k - 1) + sqrt(4 alpha) z, with input 2 theta_0 - 1 = tanh(-r / 2).

Paper: Graves, Srivastava, Atkinson, Gomez, "Bayesian Flow Networks", arXiv:2308.07037 (2023). Official code:
nnaisense/bayesian-flow-networks (commit b62568e).

Usage:
    python3 bench/reference/bfn_mnist.py serve     # the benchmark protocol below, one JSON object per line
    python3 bench/reference/bfn_mnist.py selftest  # the parameter count, the untrained network's closed-form loss,
                                                   # the log-odds sampler against the K-class update, a short training

Protocol of `serve` (requests on stdin, one answer line each on stdout; an answer {"error": "..."} on failure):
    {"cmd": "hello"}                              -> {"torch": version, "threads": 1, "blas": [loaded BLAS files]}
    {"cmd": "check", "config": N, "weights": [[name, shape, b64], ...], "rows": R, "x": b64 [R*784], "t": [R],
     "z": b64 [R*784], "images": M, "steps": n, "draws": [[kind, shape, b64], ...]}
                                                  -> {"parameters": P, "loss": L^inf, "logits": [R*784],
                                                      "samples": [M*784]}
        (the sampler consumes the draws in order: per step the next "uniform" [M, 784] for k and the next "normal",
        either [M, 784] (z of the log-odds form) or [M, 784, 2] (eps_0, eps_1 of the K-class form: z = (eps_1 -
        eps_0) / sqrt(2)))
    {"cmd": "setup", "task": "train" | "sample", "config": C}
                                                  -> {"ok": true, "parameters": P} (a session per task and config,
                                                     built and warmed up on first use, then kept)
    {"cmd": "block", "count": k}                  -> {"ms": wall milliseconds of k training steps / k sampling runs}
    {"cmd": "quit"}
N = {"width", "depth", "timeFeatures", "convChannels", "evidence", "beta1"}; C = N and {"batch", "learningRate",
"warmupSteps", "beta1Adam", "beta2Adam", "weightDecay", "clipNorm", "emaDecay", "seed", "sampleImages",
"sampleSteps"}; b64 is base64 of little-endian float32, row-major.

Threads: one (`torch.set_num_threads(1)`); run with OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=1, which scripts/bench.ts
sets, since busy-waiting OpenMP threads make torch many times slower on a shared 2-core machine.
"""

import base64
import copy
import json
import math

import torch
from torch import nn

import bfn2d
from bfn2d import loss_falls, main, run_block, serve_requests  # the serve loop and command line shared with the 2D reference

PIXELS = 784
DISCRETE_T_EPS = 1e-6  # src/bfn/constants.ts DISCRETE_T_EPS; official DiscreteBayesianFlow epsilon
DISCRETE_MIN_SQRT_BETA = 1e-10  # src/bfn/constants.ts DISCRETE_MIN_SQRT_BETA; official min_sqrt_beta
EVIDENCE_EPS = 1e-6  # src/nets/mnistNet.ts EVIDENCE_EPS


def floats(b64: str) -> torch.Tensor:
    """A base64 string of little-endian float32 values as a 1-D float32 tensor."""
    return torch.frombuffer(bytearray(base64.b64decode(b64)), dtype=torch.float32).clone()


class MnistNet(nn.Module):
    """Psi(2 theta_0 - 1, t) of src/nets/mnistNet.ts without convolutions: x [B, 784], t [B, 1] or [1, 1] -> logits
    [B, 784] (class index 1, pixel on). Parameters under TF.js's names ('mlp0.W' -> 'mlp0_W'), W as [in, out]."""

    def __init__(self, width: int, depth: int, time_features: int = 32, evidence: bool = True):
        super().__init__()
        if time_features < 2 or time_features % 2:
            raise ValueError(f"time_features must be even and >= 2, got {time_features}")
        half = time_features // 2
        self.register_buffer("freqs", torch.tensor([[2 * math.pi * 2 ** (k / 2) for k in range(half)]]))
        self.depth, self.evidence = depth, evidence
        glorot = lambda a, b: nn.init.xavier_uniform_(torch.empty(a, b))  # as createMnistNet (W: [in, out])
        for l in range(depth):
            setattr(self, f"mlp{l}_W", nn.Parameter(glorot(PIXELS if l == 0 else width, width)))
            setattr(self, f"mlp{l}_T", nn.Parameter(glorot(time_features, width)))
            setattr(self, f"mlp{l}_b", nn.Parameter(torch.zeros(width)))
        self.out_W = nn.Parameter(torch.zeros(width, PIXELS))
        self.out_b = nn.Parameter(torch.zeros(PIXELS))
        self.out_skip = nn.Parameter(torch.zeros(PIXELS))
        if evidence:
            self.out_evidence = nn.Parameter(torch.zeros(PIXELS))
            self.out_evidenceT = nn.Parameter(torch.zeros(time_features, 1))

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        angles = t.reshape(-1, 1) @ self.freqs
        e = torch.cat([torch.sin(angles), torch.cos(angles)], 1)
        h = x
        for l in range(self.depth):
            z = h @ getattr(self, f"mlp{l}_W") + e @ getattr(self, f"mlp{l}_T") + getattr(self, f"mlp{l}_b")
            a = z * torch.sigmoid(z)
            h = a if l == 0 else h + a
        g = h @ self.out_W + self.out_b + x * self.out_skip
        if self.evidence:
            xc = x.clamp(-1 + EVIDENCE_EPS, 1 - EVIDENCE_EPS)
            g = g + (self.out_evidence + e @ self.out_evidenceT) * torch.log((1 - xc) / (1 + xc))
        return g

    def load_tfjs(self, weights: list) -> None:
        """Copies TF.js variables [[name, shape, b64], ...] (createMnistNet's names and order) into the parameters."""
        params = dict(self.named_parameters())
        if len(weights) != len(params):
            raise ValueError(f"expected {len(params)} weight tensors, got {len(weights)}")
        with torch.no_grad():
            for name, shape, b64 in weights:
                p = params.get(name.replace(".", "_"))
                if p is None or list(p.shape) != list(shape):
                    raise ValueError(f"weight {name} of shape {shape} fits no parameter of this network")
                p.copy_(floats(b64).reshape(shape))


def net_of(config: dict) -> MnistNet:
    """The network of a config (N of the protocol). Raises ValueError for convolutions (not replicated)."""
    if int(config.get("convChannels", 0)) != 0:
        raise ValueError("the reference replicates the MNIST network without convolutions (convChannels 0)")
    return MnistNet(int(config["width"]), int(config["depth"]), int(config.get("timeFeatures", 32)), bool(config.get("evidence", True)))


def flow_input(x: torch.Tensor, t: torch.Tensor, beta1: float, z: torch.Tensor) -> torch.Tensor:
    """2 theta_0 - 1 of a sample of the Bayesian flow for K = 2 (see the module docstring). x {0, 1} [B, D]; t [B, 1];
    z [B, D] standard normals. Returns [B, D] in (-1, 1), 0 where sqrt(beta) < 1e-10."""
    sqrt_beta = t.clamp(max=1 - DISCRETE_T_EPS) * math.sqrt(beta1)
    beta = sqrt_beta.square()
    diff = 2 * beta * (1 - 2 * x) + torch.sqrt(4 * beta) * z
    return torch.where(sqrt_beta < DISCRETE_MIN_SQRT_BETA, torch.zeros_like(diff), torch.tanh(diff / 2))


def loss_inf(net: MnistNet, x: torch.Tensor, beta1: float, t: torch.Tensor = None, z: torch.Tensor = None) -> torch.Tensor:
    """The batch mean of L^inf = 4 beta1 t (x - sigmoid(logit))^2 (paper eq. 205), nats per pixel. x {0, 1} [B, D];
    t [B, 1] (drawn U(0, 1) when None); z [B, D] (drawn N(0, 1) when None)."""
    if t is None:
        t = torch.rand(x.shape[0], 1)
    if z is None:
        z = torch.randn_like(x)
    logit = net(flow_input(x, t, beta1, z), t)
    return (4 * beta1 * t * (x - torch.sigmoid(logit)).square()).mean()


@torch.no_grad()
def sample(net: MnistNet, images: int, steps: int, beta1: float, draws: list = None) -> torch.Tensor:
    """The n-step sampler for K = 2 in log-odds form (see the module docstring). draws: None (drawn here) or the
    protocol's list of [kind, shape, b64], consumed per step as one uniform and one normal. Returns the mode, class
    indices [images, 784] as float32."""
    uniforms = [d for d in draws if d[0] == "uniform"] if draws is not None else None
    normals = [d for d in draws if d[0] == "normal"] if draws is not None else None
    r = torch.zeros(images, PIXELS)  # ln(theta_1 / theta_0); theta = 1/2 at the start
    for i in range(1, steps + 1):
        t = torch.full((1, 1), (i - 1) / steps)
        logit = net(torch.tanh(-r / 2), t)
        u = torch.rand(images, PIXELS) if uniforms is None else floats(uniforms[i - 1][2]).reshape(images, PIXELS)
        k = (u < torch.sigmoid(logit)).float()
        alpha = beta1 * (2 * i - 1) / steps**2
        if normals is None:
            z = torch.randn(images, PIXELS)
        else:
            eps = floats(normals[i - 1][2])
            z = eps.reshape(images, PIXELS) if eps.numel() == images * PIXELS else (lambda e: (e[..., 1] - e[..., 0]) / math.sqrt(2))(eps.reshape(images, PIXELS, 2))
        r = r + 2 * alpha * (2 * k - 1) + math.sqrt(4 * alpha) * z
    logit = net(torch.tanh(-r / 2), torch.ones(1, 1))
    return (torch.sigmoid(logit) > 0.5).float()


class Session(bfn2d.Session):
    """One benchmark task ('train' or 'sample') with its network, optimiser, average and images, warmed up on creation;
    `run(count)` (bfn2d.py's) times `count` training steps or sampling runs of `sampleSteps` steps."""

    def __init__(self, task: str, config: dict):
        if task not in ("train", "sample"):
            raise ValueError(f"unknown task {task!r}")
        self.task, self.c = task, config
        torch.manual_seed(int(config.get("seed", 1)))
        self.net = net_of(config)
        self.ema = copy.deepcopy(self.net).requires_grad_(False)
        self.beta1 = float(config["beta1"])
        self.opt = torch.optim.AdamW(self.net.parameters(), lr=float(config["learningRate"]),
                                     betas=(float(config["beta1Adam"]), float(config["beta2Adam"])),
                                     eps=1e-8, weight_decay=float(config["weightDecay"]))
        # Synthetic grey images (uniform intensities), as src/bench/benchMnist.ts: the cost does not depend on them.
        self.images = torch.randint(0, 256, (256, PIXELS)).float() / 255
        self.step = 0
        if task == "train":
            self.run(3)
        else:
            self.sample_once(2)

    def train_step(self) -> float:
        """A step as Trainer.trainStep with TrainerMnist's batch and loss (see the module docstring)."""
        c = self.c
        x = torch.bernoulli(self.images[torch.randint(self.images.shape[0], (int(c["batch"]),))])
        self.opt.zero_grad(set_to_none=True)
        loss = loss_inf(self.net, x, self.beta1)
        loss.backward()
        clip = float(c["clipNorm"])
        norm = torch.nn.utils.clip_grad_norm_(self.net.parameters(), clip if clip > 0 else math.inf)
        value, grad_norm = loss.item(), norm.item()
        if not (math.isfinite(value) and math.isfinite(grad_norm)):
            return value  # not applied, as the TypeScript trainer
        self.step += 1
        warmup = int(c["warmupSteps"])
        for group in self.opt.param_groups:
            group["lr"] = float(c["learningRate"]) * (min(1.0, self.step / warmup) if warmup > 0 else 1.0)
        self.opt.step()
        decay = min(float(c["emaDecay"]), (1 + self.step) / (10 + self.step))
        with torch.no_grad():
            for e, w in zip(self.ema.parameters(), self.net.parameters()):
                e.mul_(decay).add_(w, alpha=1 - decay)
        return value

    def sample_once(self, steps: int) -> torch.Tensor:
        """One sampling run of `sampleImages` digits with the weight average."""
        return sample(self.ema, int(self.c["sampleImages"]), steps, self.beta1)


def parameter_count(net: nn.Module) -> int:
    return sum(p.numel() for p in net.parameters())


def check(req: dict) -> dict:
    """The loss, the logits and the samples for given weights and noise, to compare with the TypeScript code."""
    c = req["config"]
    net = net_of(c)
    net.load_tfjs(req["weights"])
    beta1, rows = float(c["beta1"]), int(req["rows"])
    x = floats(req["x"]).reshape(rows, PIXELS)
    t = torch.tensor(req["t"], dtype=torch.float32).reshape(rows, 1)
    z = floats(req["z"]).reshape(rows, PIXELS)
    with torch.no_grad():
        loss = loss_inf(net, x, beta1, t, z).item()
        logits = net(flow_input(x, t, beta1, z), t)
    samples = sample(net, int(req["images"]), int(req["steps"]), beta1, req["draws"])
    return {"parameters": parameter_count(net), "loss": loss, "logits": logits.flatten().tolist(), "samples": samples.flatten().tolist()}


def serve() -> None:
    """Answers the protocol of the module docstring until "quit" or the end of stdin (bfn2d.py's `serve_requests`)."""
    current = None
    sessions = {}  # by (task, config): the mnist row switches between training and sampling every round

    def handle(req: dict) -> dict:
        nonlocal current
        cmd = req.get("cmd")
        if cmd == "check":
            return check(req)
        if cmd == "setup":
            key = json.dumps([req["task"], req["config"]], sort_keys=True)
            if key not in sessions:
                sessions[key] = Session(req["task"], req["config"])
            current = sessions[key]
            return {"ok": True, "parameters": parameter_count(current.net)}
        if cmd == "block":
            return run_block(current, req)
        raise ValueError(f"unknown command {cmd!r}")

    serve_requests(handle)


def selftest() -> None:
    """Checks without TypeScript: the shipped size has 3,806,544 parameters; the untrained network (logit 0) gives the
    closed form 4 beta1 t (x - 1/2)^2; the log-odds sampler step equals the K-class update softmax(y + ln theta);
    a short training run lowers the loss."""
    torch.manual_seed(0)
    beta1 = 9.0
    assert parameter_count(MnistNet(1024, 3, 32, True)) == 3_806_544
    net = MnistNet(64, 2, 32, True)
    x = (torch.rand(16, PIXELS) < 0.3).float()
    t, z = torch.rand(16, 1), torch.randn(16, PIXELS)
    closed = (4 * beta1 * t * (x - 0.5).square()).mean().item()
    got = loss_inf(net, x, beta1, t, z).item()
    assert abs(got - closed) <= 1e-6 * closed, (got, closed)
    # One Bayesian update of theta = (theta_0, theta_1) with y = alpha (2 e_k - 1) + sqrt(2 alpha) eps, in both forms.
    theta1, k, alpha, eps = torch.rand(100), (torch.rand(100) < 0.5).float(), 0.7, torch.randn(100, 2)
    y = alpha * (2 * torch.stack([1 - k, k], 1) - 1) + math.sqrt(2 * alpha) * eps
    kclass = torch.softmax(y + torch.log(torch.stack([1 - theta1, theta1], 1)), 1)[:, 1]
    r = torch.log(theta1 / (1 - theta1)) + 2 * alpha * (2 * k - 1) + math.sqrt(4 * alpha) * (eps[:, 1] - eps[:, 0]) / math.sqrt(2)
    assert torch.allclose(torch.sigmoid(r), kclass, atol=1e-5), (torch.sigmoid(r) - kclass).abs().max()
    assert sample(net, 4, 3, beta1).shape == (4, PIXELS)
    config = {"width": 64, "depth": 2, "timeFeatures": 32, "evidence": True, "beta1": beta1, "batch": 32, "learningRate": 1e-3,
              "warmupSteps": 10, "beta1Adam": 0.9, "beta2Adam": 0.98, "weightDecay": 0.01, "clipNorm": 5, "emaDecay": 0.999,
              "seed": 1, "sampleImages": 4, "sampleSteps": 5}
    first, last = loss_falls(Session("train", config).train_step)
    print(f"ok: 3,806,544 parameters; untrained loss {got:.6f} = closed form {closed:.6f}; training loss {first:.4f} -> {last:.4f}")


if __name__ == "__main__":
    main("bfn_mnist.py", serve, selftest)
