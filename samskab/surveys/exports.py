"""CSV and XLSX downloads of aggregates. Only ever fed from `services.safe_results` (and, for the dashboard,
from other aggregates), so an export can never show more than the page does."""

from __future__ import annotations

from django.utils.translation import gettext as _

from samskab.lib.tables import Sheet

from .services import SafeResults, rounded


def survey_sheets(results: SafeResults) -> list[Sheet]:
    """The safe results as sheets: scale aggregates (hidden cells without numbers), changes, free text. A scale
    with a cut-off (OECD "high trust": 6-10) fills the two share columns; the others leave them empty. Where
    Cronbach's alpha is not shown or is low, the note says why; a change is "noticeable" only when it is at
    least the scale's minimum difference and its 95 % interval excludes 0, as on the page."""
    scales = Sheet(
        _("Scales"),
        [
            _("Scale"),
            _("Round"),
            _("Sector"),
            _("Respondents"),
            _("Scored"),
            _("Mean"),
            _("95 % CI low"),
            _("95 % CI high"),
            _("Cronbach's alpha"),
            _("Share at or above"),
            _("Share (%)"),
            _("Note"),
        ],
        [
            [
                row["scale_name"],
                row["wave"],
                row["sector_label"],
                row["respondents"],
                row["n"],
                row["mean"],
                row["ci_low"],
                row["ci_high"],
                row["alpha"],
                row["share_at_or_above"],
                row["share"],
                row["hidden"] or row["alpha_note"],
            ]
            for row in results.rows()
        ],
    )
    labels = {g.key: (g.wave_label, g.sector_label) for g in results.groups}
    changes = Sheet(
        _("Changes"),
        [
            _("Scale"),
            _("Sector"),
            _("From"),
            _("To"),
            _("Difference"),
            _("95 % CI low"),
            _("95 % CI high"),
            _("Noticeable"),
        ],
        [
            [
                scale.name,
                labels[c.from_group][1],
                labels[c.from_group][0],
                labels[c.to_group][0],
                rounded(c.delta, 1),
                rounded(c.ci_low, 1),
                rounded(c.ci_high, 1),
                _("yes") if c.meaningful else _("no"),
            ]
            for scale in results.scales
            for c in scale.changes
        ],
    )
    texts = Sheet(
        _("Free text"),
        [_("Question"), _("Round"), _("Answer")],
        [
            [text.question, labels[key][0], answer]
            for text in results.texts
            for key, answers in text.texts.items()
            for answer in answers
        ],
    )
    return [scales, changes, texts]
