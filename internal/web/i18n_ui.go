package web

// uiMessages are the messages of the daily-work pages (issue 15: narrow screens,
// per-nominee outcomes, the deadline page, the inbox's columns). They are added to
// the catalogue at init, in both languages; TestCatalogue checks them with the
// rest. At the move of the catalogue to JSON files they belong in those files.
var uiMessages = map[string]map[string]string{
	"vi": {
		"nav.menu":                   "Trình đơn",
		"act.outcomes.err.award":     "%s: chọn hình thức khen thấp hơn mà cấp này được quyết định.",
		"act.outcomes.err.required":  "%s: chưa chọn hình thức khen thấp hơn.",
		"act.outcomes.none_lower":    "Cấp này không có hình thức khen nào thấp hơn để chọn.",
		"act.outcomes.for":           "Đối tượng",
		"act.go_outcomes":            "Đến phần trình / quyết định",
		"act.submit.missing":         "Hồ sơ còn thiếu thành phần bắt buộc:",
		"act.submit.confirm_missing": "Tôi vẫn gửi hồ sơ khi còn thiếu các thành phần trên",
		"field.submit_missing":       "Hồ sơ còn thiếu thành phần bắt buộc: hãy bổ sung tài liệu, hoặc xác nhận vẫn gửi.",
		"detail.tl.result":           "Kết quả",
		"deadlines.title":            "Theo dõi thời hạn xử lý",
		"deadlines.intro":            "Việc đang mở tại các đơn vị trong phạm vi của bạn: sắp đến hạn và quá hạn, theo từng đơn vị trực thuộc.",
		"deadlines.soon":             "Sắp đến hạn trong (ngày làm việc)",
		"deadlines.open":             "Đang mở",
		"deadlines.due_soon":         "Đến hạn trong %d ngày làm việc",
		"deadlines.overdue":          "Quá hạn",
		"deadlines.by_unit":          "Theo đơn vị",
		"deadlines.none":             "Không có việc nào đang mở trong phạm vi của bạn.",
		"deadlines.overdue_tasks":    "Các việc quá hạn",
		"deadlines.due_on":           "Hạn",
		"deadlines.days_over":        "Số ngày làm việc quá hạn",
		"deadlines.assignee":         "Người xử lý",
		"deadlines.unassigned":       "Chưa phân công",
		"dash.deadlines":             "Theo dõi thời hạn",
		"inbox.claim":                "Nhận xử lý",
		"inbox.release":              "Trả lại việc",
		"inbox.delegated":            "Ủy quyền",
		"inbox.delegated.hint":       "Việc bạn nhận xử lý theo ủy quyền",
		"flash.claim":                "Bạn đã nhận xử lý việc này.",
		"flash.release_task":         "Đã trả lại việc cho những người cùng vai trò.",
		"review.laggards":            "Đơn vị chưa báo cáo hoặc báo cáo chậm",
		"review.laggard.missing":     "Quá hạn, chưa gửi",
		"review.laggard.late":        "Gửi chậm",
	},
	"en": {
		"nav.menu":                   "Menu",
		"act.outcomes.err.award":     "%s: choose a lower award this level may grant.",
		"act.outcomes.err.required":  "%s: no lower award chosen.",
		"act.outcomes.none_lower":    "This level has no lower award to choose.",
		"act.outcomes.for":           "Nominee",
		"act.go_outcomes":            "Go to forwarding / decision",
		"act.submit.missing":         "Required parts of the dossier are missing:",
		"act.submit.confirm_missing": "Send the dossier anyway, with the parts above missing",
		"field.submit_missing":       "Required parts of the dossier are missing: upload them, or confirm that you send it anyway.",
		"detail.tl.result":           "Result",
		"deadlines.title":            "Deadlines",
		"deadlines.intro":            "Open tasks in the units within your reach: due soon and overdue, per unit below yours.",
		"deadlines.soon":             "Due soon within (working days)",
		"deadlines.open":             "Open",
		"deadlines.due_soon":         "Due within %d working days",
		"deadlines.overdue":          "Overdue",
		"deadlines.by_unit":          "By unit",
		"deadlines.none":             "No open task within your reach.",
		"deadlines.overdue_tasks":    "Overdue tasks",
		"deadlines.due_on":           "Due",
		"deadlines.days_over":        "Working days overdue",
		"deadlines.assignee":         "Assignee",
		"deadlines.unassigned":       "Unassigned",
		"dash.deadlines":             "Deadlines",
		"inbox.claim":                "Claim",
		"inbox.release":              "Release",
		"inbox.delegated":            "Delegated",
		"inbox.delegated.hint":       "A task you handle under a delegation",
		"flash.claim":                "You now handle this task.",
		"flash.release_task":         "The task is back with everyone holding its role.",
		"review.laggards":            "Units that have not reported or reported late",
		"review.laggard.missing":     "Overdue, not sent",
		"review.laggard.late":        "Sent late",
	},
}

func init() {
	for lang, msgs := range uiMessages {
		for k, v := range msgs {
			catalogue[lang][k] = v
		}
	}
}
