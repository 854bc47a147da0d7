"""The paper's model zoo, written from the published SynFlow architectures.

The paper (Appendix D) says its models are those of the SynFlow repository
(Tanaka et al. 2020, ``ganguli-lab/Synaptic-Flow``). This module re-implements
those architectures in plain torch (no pretrained weights, none are needed for
TCCR):

==============  ======================  ==========================================
name            datasets                SynFlow definition it follows
==============  ======================  ==========================================
``fc``          all                     ``Models/mlp.py:fc`` (L=6, N=100):
                                        784-100-100-100-100-100-10 on MNIST
``conv``        all                     ``Models/mlp.py:conv`` (L=3, N=32): two
                                        3x3 convs, 32 filters, padding 1, then
                                        dense ``32*H*W -> classes``
``vgg11``       cifar10, cifar100       ``Models/lottery_vgg.py:vgg11`` (8 convs,
                                        4 max-pools, AvgPool2d(2), dense 512->C)
``vgg11``       tiny-imagenet           ``Models/tinyimagenet_vgg.py:vgg11``
                                        (8 convs, 5 max-pools, dense
                                        2048-1024-1024-C with dropout)
``resnet20``    cifar10, cifar100,      ``Models/lottery_resnet.py:resnet20``
                tiny-imagenet           (16/32/64 filters, 3 blocks per stage,
                                        1x1 stride-2 shortcut convs)
``resnet18``    cifar10, cifar100,      ``Models/tinyimagenet_resnet.py:resnet18``
                tiny-imagenet           (3x3 stem, stages 64/128/256/512 with
                                        strides 1/2/2/2, 1x1 shortcut convs)
==============  ======================  ==========================================

SynFlow picks the "lottery" model class for CIFAR and the "tinyimagenet" class
for Tiny-ImageNet; :func:`build_model` does the same for ``vgg11``. The
paper's eight pairings are :data:`PAPER_PAIRINGS`.

Initialisation, where the paper is silent: the MNIST nets (``fc``, ``conv``) keep
PyTorch's default initialisation of ``nn.Linear`` / ``nn.Conv2d`` (weights Kaiming
uniform with ``a = sqrt(5)``, biases uniform in ``+-1/sqrt(fan_in)``), exactly as
SynFlow's ``Layers/layers.py`` subclasses do; the VGG and ResNet classes copy SynFlow's
``_initialize_weights`` (Kaiming normal). The training settings SynFlow uses where the
paper is silent are in :mod:`topotheory.nn.train` (:data:`~topotheory.nn.train.SYNFLOW`).

Examples
--------
>>> from topotheory.nn.zoo import build_model
>>> model = build_model("fc", "mnist", seed=0)
>>> [m.out_features for m in model if hasattr(m, "out_features")]
[100, 100, 100, 100, 100, 10]
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch import nn
from torch.nn import functional as F

#: Dataset name -> (input shape ``(C, H, W)``, number of classes).
DATASETS: dict[str, tuple[tuple[int, int, int], int]] = {
    "mnist": ((1, 28, 28), 10),
    "cifar10": ((3, 32, 32), 10),
    "cifar100": ((3, 32, 32), 100),
    "tiny-imagenet": ((3, 64, 64), 200),
}

#: The paper's eight architecture/data-set pairings (Appendix G), in table order.
PAPER_PAIRINGS: tuple[tuple[str, str], ...] = (
    ("fc", "mnist"),
    ("conv", "mnist"),
    ("vgg11", "cifar10"),
    ("vgg11", "cifar100"),
    ("vgg11", "tiny-imagenet"),
    ("resnet20", "cifar10"),
    ("resnet20", "cifar100"),
    ("resnet18", "tiny-imagenet"),
)

_VGG11_PLAN: tuple[int | str, ...] = (64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512)


def input_shape(dataset: str) -> tuple[int, int, int]:
    """Input shape ``(C, H, W)`` of one example of ``dataset``.

    Examples
    --------
    >>> input_shape("cifar10")
    (3, 32, 32)
    """
    return DATASETS[_check_dataset(dataset)][0]


def num_classes_of(dataset: str) -> int:
    """Number of classes of ``dataset``.

    Examples
    --------
    >>> num_classes_of("tiny-imagenet")
    200
    """
    return DATASETS[_check_dataset(dataset)][1]


def _check_dataset(dataset: str) -> str:
    if not isinstance(dataset, str) or dataset.lower() not in DATASETS:
        raise ValueError(
            f"dataset must be one of {sorted(DATASETS)}, got {dataset!r}"
        )
    return dataset.lower()


# ---------------------------------------------------------------- MNIST nets
def _fc(shape: tuple[int, ...], classes: int, depth: int = 6, width: int = 100) -> nn.Module:
    size = math.prod(shape)
    modules: list[nn.Module] = [nn.Flatten(), nn.Linear(size, width), nn.ReLU()]
    for _ in range(depth - 2):
        modules += [nn.Linear(width, width), nn.ReLU()]
    modules.append(nn.Linear(width, classes))
    return nn.Sequential(*modules)


def _conv(shape: tuple[int, ...], classes: int, depth: int = 3, filters: int = 32) -> nn.Module:
    channels, height, width = shape
    modules: list[nn.Module] = [nn.Conv2d(channels, filters, kernel_size=3, padding=1), nn.ReLU()]
    for _ in range(depth - 2):
        modules += [nn.Conv2d(filters, filters, kernel_size=3, padding=1), nn.ReLU()]
    modules += [nn.Flatten(), nn.Linear(filters * height * width, classes)]
    return nn.Sequential(*modules)


def _kaiming_init(model: nn.Module) -> None:
    """Kaiming-normal weights and zero biases for every conv and linear layer of ``model``
    (in :meth:`~torch.nn.Module.modules` order, so the draws follow the seed)."""
    for module in model.modules():
        if isinstance(module, nn.Conv2d | nn.Linear):
            nn.init.kaiming_normal_(module.weight)
            if module.bias is not None:
                nn.init.zeros_(module.bias)


# ---------------------------------------------------------------- VGG

class _ConvReLU(nn.Module):
    def __init__(self, c_in: int, c_out: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, kernel_size=3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.conv(x))


class LotteryVGG(nn.Module):
    """CIFAR VGG of SynFlow's "lottery" class: convs, max-pools, AvgPool2d(2), one dense."""

    def __init__(self, plan: tuple[int | str, ...], in_channels: int, classes: int) -> None:
        super().__init__()
        blocks: list[nn.Module] = []
        channels = in_channels
        for item in plan:
            if item == "M":
                blocks.append(nn.MaxPool2d(kernel_size=2, stride=2))
            else:
                blocks.append(_ConvReLU(channels, int(item)))
                channels = int(item)
        self.layers = nn.Sequential(*blocks)
        self.pool = nn.AvgPool2d(2)
        self.fc = nn.Linear(channels, classes)
        _kaiming_init(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(self.layers(x))
        return self.fc(torch.flatten(x, 1))


class TinyImageNetVGG(nn.Module):
    """VGG of SynFlow's "tinyimagenet" class: a trailing max-pool and three dense layers."""

    def __init__(self, plan: tuple[int | str, ...], shape: tuple[int, ...], classes: int) -> None:
        super().__init__()
        channels, height, width = shape
        if height % 32 or width % 32:
            raise ValueError(
                f"TinyImageNetVGG needs spatial sizes divisible by 32 (five 2x2 pools), got {shape}"
            )
        blocks: list[nn.Module] = []
        for item in (*plan, "M"):
            if item == "M":
                blocks.append(nn.MaxPool2d(kernel_size=2, stride=2))
            else:
                blocks += [nn.Conv2d(channels, int(item), kernel_size=3, padding=1), nn.ReLU()]
                channels = int(item)
        self.features = nn.Sequential(*blocks)
        dim = channels * (height // 32) * (width // 32)
        self.classifier = nn.Sequential(
            nn.Linear(dim, dim // 2),
            nn.ReLU(),
            nn.Dropout(),
            nn.Linear(dim // 2, dim // 2),
            nn.ReLU(),
            nn.Dropout(),
            nn.Linear(dim // 2, classes),
        )
        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
                if module.bias is not None:
                    nn.init.zeros_(module.bias)
            elif isinstance(module, nn.Linear):
                nn.init.normal_(module.weight, 0.0, 0.01)
                nn.init.zeros_(module.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(torch.flatten(self.features(x), 1))


# ---------------------------------------------------------------- ResNets
class _LotteryBlock(nn.Module):
    def __init__(self, c_in: int, c_out: int, downsample: bool) -> None:
        super().__init__()
        stride = 2 if downsample else 1
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.shortcut: nn.Module
        if downsample or c_in != c_out:
            self.shortcut = nn.Sequential(
                nn.Conv2d(c_in, c_out, kernel_size=1, stride=2, bias=False), nn.BatchNorm2d(c_out)
            )
        else:
            self.shortcut = nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class LotteryResNet(nn.Module):
    """CIFAR ResNet (He et al.) of SynFlow's "lottery" class; depth ``2 + 6 D``."""

    def __init__(self, depth: int, width: int, in_channels: int, classes: int) -> None:
        super().__init__()
        if (depth - 2) % 6:
            raise ValueError(f"ResNet depth must be 2 + 6*D, got {depth}")
        per_stage = (depth - 2) // 6
        plan = [(width, per_stage), (2 * width, per_stage), (4 * width, per_stage)]
        self.conv = nn.Conv2d(in_channels, width, 3, stride=1, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(width)
        blocks: list[nn.Module] = []
        current = width
        for stage, (filters, count) in enumerate(plan):
            for index in range(count):
                blocks.append(_LotteryBlock(current, filters, stage > 0 and index == 0))
                current = filters
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(current, classes)
        _kaiming_init(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.blocks(F.relu(self.bn(self.conv(x))))
        out = F.avg_pool2d(out, out.size()[3])
        return self.fc(torch.flatten(out, 1))


class _BasicBlock(nn.Module):
    def __init__(self, c_in: int, c_out: int, stride: int) -> None:
        super().__init__()
        self.residual_function = nn.Sequential(
            nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False),
            nn.BatchNorm2d(c_out),
            nn.ReLU(),
            nn.Conv2d(c_out, c_out, 3, padding=1, bias=False),
            nn.BatchNorm2d(c_out),
        )
        self.shortcut: nn.Module = nn.Identity()
        if stride != 1 or c_in != c_out:
            self.shortcut = nn.Sequential(
                nn.Conv2d(c_in, c_out, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(c_out),
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.residual_function(x) + self.shortcut(x))


class TinyImageNetResNet(nn.Module):
    """ResNet-18/34 (basic blocks) of SynFlow's "tinyimagenet" class: 3x3 stem, no stem pool."""

    def __init__(self, blocks: tuple[int, ...], in_channels: int, classes: int) -> None:
        super().__init__()
        self.conv1 = nn.Sequential(
            nn.Conv2d(in_channels, 64, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(64),
            nn.ReLU(),
        )
        current = 64
        stages: list[nn.Module] = []
        for filters, count, stride in zip((64, 128, 256, 512), blocks, (1, 2, 2, 2), strict=True):
            stage: list[nn.Module] = []
            for s in [stride] + [1] * (count - 1):
                stage.append(_BasicBlock(current, filters, s))
                current = filters
            stages.append(nn.Sequential(*stage))
        self.conv2_x, self.conv3_x, self.conv4_x, self.conv5_x = stages
        self.avg_pool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(current, classes)
        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.conv1(x)
        out = self.conv5_x(self.conv4_x(self.conv3_x(self.conv2_x(out))))
        return self.fc(torch.flatten(self.avg_pool(out), 1))


# ---------------------------------------------------------------- registry
def _vgg11(dataset: str, shape: tuple[int, ...], classes: int) -> nn.Module:
    if dataset == "tiny-imagenet":
        return TinyImageNetVGG(_VGG11_PLAN, shape, classes)
    if shape[1] < 32 or shape[2] < 32:
        raise ValueError(
            f"vgg11 (SynFlow lottery class) needs inputs of at least 32x32, {dataset!r} has {shape}"
        )
    return LotteryVGG(_VGG11_PLAN, shape[0], classes)


_BUILDERS: dict[str, Callable[[str, tuple[int, ...], int], nn.Module]] = {
    "fc": lambda dataset, shape, classes: _fc(shape, classes),
    "conv": lambda dataset, shape, classes: _conv(shape, classes),
    "vgg11": _vgg11,
    "resnet20": lambda dataset, shape, classes: LotteryResNet(20, 16, shape[0], classes),
    "resnet18": lambda dataset, shape, classes: TinyImageNetResNet((2, 2, 2, 2), shape[0], classes),
}

_SUPPORTED: dict[str, tuple[str, ...]] = {
    "fc": tuple(DATASETS),
    "conv": tuple(DATASETS),
    "vgg11": ("cifar10", "cifar100", "tiny-imagenet"),
    "resnet20": ("mnist", "cifar10", "cifar100", "tiny-imagenet"),
    "resnet18": ("mnist", "cifar10", "cifar100", "tiny-imagenet"),
}


def list_models() -> tuple[str, ...]:
    """Names accepted by :func:`build_model`.

    Examples
    --------
    >>> list_models()
    ('fc', 'conv', 'vgg11', 'resnet20', 'resnet18')
    """
    return tuple(_BUILDERS)


def supported_datasets(name: str) -> tuple[str, ...]:
    """Datasets on which model ``name`` can be built.

    Examples
    --------
    >>> supported_datasets("vgg11")
    ('cifar10', 'cifar100', 'tiny-imagenet')
    """
    if name not in _SUPPORTED:
        raise ValueError(f"name must be one of {list_models()}, got {name!r}")
    return _SUPPORTED[name]


def build_model(
    name: str, dataset: str, *, num_classes: int | None = None, seed: int | None = None
) -> nn.Module:
    """Build a zoo model for ``dataset`` (randomly initialised as in SynFlow).

    Parameters
    ----------
    name : str
        One of :func:`list_models`.
    dataset : str
        ``"mnist"``, ``"cifar10"``, ``"cifar100"`` or ``"tiny-imagenet"``; fixes the
        input shape (:func:`input_shape`) and, by default, the number of classes.
    num_classes : int, optional
        Override the dataset's number of classes.
    seed : int, optional
        Seed of the initialisation; with a seed the weights are byte-for-byte
        reproducible and torch's global generator is left untouched.

    Returns
    -------
    torch.nn.Module
        The model, in eval mode.

    Examples
    --------
    >>> model = build_model("resnet20", "cifar10", seed=1)
    >>> sum(p.numel() for p in model.parameters())
    272474
    """
    if not isinstance(name, str) or name.lower() not in _BUILDERS:
        raise ValueError(f"name must be one of {list_models()}, got {name!r}")
    name = name.lower()
    dataset = _check_dataset(dataset)
    if dataset not in _SUPPORTED[name]:
        raise ValueError(
            f"model {name!r} is not defined for dataset {dataset!r}; "
            f"use one of {_SUPPORTED[name]}"
        )
    shape, classes = DATASETS[dataset]
    if num_classes is not None:
        if not isinstance(num_classes, int) or num_classes < 1:
            raise ValueError(f"num_classes must be a positive int, got {num_classes!r}")
        classes = num_classes
    if seed is None:
        model = _BUILDERS[name](dataset, shape, classes)
    else:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(int(seed))
            model = _BUILDERS[name](dataset, shape, classes)
    return model.eval()


def fcn_mnist(*, seed: int | None = None) -> nn.Module:
    """The paper's fully connected MNIST net, 784-100-100-100-100-100-10 (Appendix D, Table 2).

    Examples
    --------
    >>> fcn_mnist(seed=0)[1].weight.shape
    torch.Size([100, 784])
    """
    return build_model("fc", "mnist", seed=seed)


def cnn_mnist(*, seed: int | None = None) -> nn.Module:
    """The paper's convolutional MNIST net: two 3x3 convs (32 filters, pad 1), dense 25088->10.

    Examples
    --------
    >>> cnn_mnist(seed=0)[-1].weight.shape
    torch.Size([10, 25088])
    """
    return build_model("conv", "mnist", seed=seed)
