"""The claim ``dense-vs-conv``: its statement, readings (variants), false twins and design."""

from __future__ import annotations

from topotheory.theory.claim import Claim, Provenance, Variant
from topotheory.theory.claims._shared import twin

CLAIM = Claim(
    id="dense-vs-conv",
    source="paper",
    statement="Dense layers are far more compressible than conv layers; ResNets slightly "
    "less than VGG.",
    kind="forall",
    domain="Table 1 as printed: every data set (CIFAR-10, CIFAR-100, Tiny-ImageNet) and "
    "architecture; which row measures 'compressible' is the variant",
    provenance=Provenance(section="Sec. 4.1", confidence="medium",
                          note="the ResNet-vs-VGG half does not say which row of Table 1 "
                          "it reads: the row readings are the variants"),
    variants=(
        Variant(name="dense_over_conv", description="the Dense row above the Conv row for "
                "every architecture and data set"),
        Variant(name="resnet_below_vgg_conv_row", description="ResNet's Conv row below "
                "VGG11's on every data set", source="reading"),
        Variant(name="resnet_below_vgg_final_row", description="ResNet's Final row below "
                "VGG11's on every data set", source="reading"),
    ),
    report_section="tables-audit",
    twins=(twin("conv_over_dense", "conv layers more compressible than dense ones",
                 "dense_over_conv", swap=True),
           twin("resnet_above_vgg", "ResNet's Conv row above VGG11's on every data set",
                 "resnet_below_vgg_conv_row", reverse=True),
           twin("resnet_above_vgg", "ResNet's Final row above VGG11's on every data set",
                 "resnet_below_vgg_final_row", reverse=True)),
)
