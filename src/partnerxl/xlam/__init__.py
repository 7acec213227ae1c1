"""Build and install the PartnerXL Excel add-in (partnerxl.xlam) from text sources; see docs/addin.md."""
