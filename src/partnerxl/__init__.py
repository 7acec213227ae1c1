"""PartnerXL: partnership governance for councils, in Excel, with the hard parts in Python."""

__version__ = "0.1.0"
