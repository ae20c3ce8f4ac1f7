package history

// IsCitizenID reports whether an individual's code is a citizen identity number
// (số định danh cá nhân, printed on the CCCD): twelve digits. A person recorded
// with it in another unit is the same subject (the person moved), not a new one;
// any other code is the unit's own and identifies nobody outside it.
func IsCitizenID(code string) bool {
	if len(code) != 12 {
		return false
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
