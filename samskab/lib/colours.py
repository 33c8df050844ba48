"""The Okabe–Ito colours, distinguishable with the common colour-vision deficiencies. Orange and sky blue are
darkened to at least 3:1 against white (WCAG 1.4.11: lines and marks that carry meaning). No Django here, so
the pure maths modules may use it."""

BLUE = "#0072B2"  # 5.2:1 on white
GREEN = "#009E73"  # 3.4:1
VERMILLION = "#D55E00"  # 3.9:1
PINK = "#CC79A7"  # 3.1:1
AMBER = "#B07800"  # 3.8:1 (Okabe–Ito orange #E69F00 is 2.3:1)
SKY = "#3A8FC8"  # 3.5:1 (Okabe–Ito sky blue #56B4E9 is 2.3:1)
