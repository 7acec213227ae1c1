"""The documents PartnerXL writes: templates and filled copies, the Portfolio workbook and its dashboard, the
summaries, the committee pack, the validation report, e-mail and chase drafts, and the demo sample."""
