Attribute VB_Name = "PartnerXL"
' PartnerXL ribbon callbacks.
'
' One Sub per button on the "Partnerships" tab (addin/src/customUI.xml). Each one only hands over to Python:
' the work is done by the function of the same name in partnerxl/excel/buttons.py, run by xlwings' RunPython (in the
' xlwings module of this add-in). Python reports problems to the user itself, so there is no error handling here.
' This file is the source of the module: edit it here and rebuild with `partnerxl addin build` (docs/addin.md).
Option Explicit

Sub PxlValidate(control As IRibbonControl)
    RunPython "import partnerxl.excel.buttons; partnerxl.excel.buttons.validate()"
End Sub

Sub PxlScore(control As IRibbonControl)
    RunPython "import partnerxl.excel.buttons; partnerxl.excel.buttons.score()"
End Sub

Sub PxlCollateResponses(control As IRibbonControl)
    RunPython "import partnerxl.excel.buttons; partnerxl.excel.buttons.collate_responses()"
End Sub

Sub PxlChaseResponses(control As IRibbonControl)
    RunPython "import partnerxl.excel.buttons; partnerxl.excel.buttons.chase_responses()"
End Sub

Sub PxlRollupPortfolio(control As IRibbonControl)
    RunPython "import partnerxl.excel.buttons; partnerxl.excel.buttons.rollup_portfolio()"
End Sub

Sub PxlWriteSummaries(control As IRibbonControl)
    RunPython "import partnerxl.excel.buttons; partnerxl.excel.buttons.write_summaries()"
End Sub

Sub PxlEmailDrafts(control As IRibbonControl)
    RunPython "import partnerxl.excel.buttons; partnerxl.excel.buttons.email_drafts()"
End Sub

Sub PxlNewReview(control As IRibbonControl)
    RunPython "import partnerxl.excel.buttons; partnerxl.excel.buttons.new_review()"
End Sub

Sub PxlCommitteePack(control As IRibbonControl)
    RunPython "import partnerxl.excel.buttons; partnerxl.excel.buttons.committee_pack()"
End Sub
