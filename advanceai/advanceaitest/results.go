package advanceaitest

import "github.com/kyc-go/kyc/advanceai"

// ResultOCR returns the OCR the fake answers for SUCCESS and
// FORGERY_DETECTED: the vendor's documented example, masked as the vendor
// masks it.
func ResultOCR() advanceai.OCRResult {
	return advanceai.OCRResult{
		IDNumber:           "33******02",
		Name:               "R**A M**H A**H,",
		BloodType:          "O",
		Religion:           "ISLAM",
		Gender:             "PEREMPUAN",
		BirthPlaceBirthday: "SE M**N, 01-06-1989",
		Province:           "J**A T**H",
		City:               "K**A S**G",
		District:           "N**N",
		Village:            "W**I",
		RTRW:               "011/002",
		Occupation:         "M**S R**H T**A",
		ExpiryDate:         "S**R H**P",
		Nationality:        "WNI",
		MaritalStatus:      "K**N",
		Address:            "JL. G**G J**I T**R R**A",
		PlaceOfBirth:       "SE M**N",
		Birthday:           "1989/06/01",
	}
}

// resultData is get-result's data for a verification: all null before it
// finishes (inferred), else the documented shape for its idvCode. OCR comes
// only with SUCCESS and FORGERY_DETECTED, as the vendor documents.
func (s *Server) resultData(id, idvCode string) map[string]any {
	if idvCode == "" {
		return map[string]any{"image": nil, "croppedImage": nil, "imageType": nil, "idvCode": nil,
			"idvResult": nil, "ocrCode": nil, "ocrResult": nil}
	}
	idv := map[string]any{"isLowQuality": false, "forgeryLabels": []string{}, "qualityLabels": []string{}}
	var ocrCode, ocr any
	switch idvCode {
	case advanceai.IDVSuccess:
		ocrCode, ocr = advanceai.OCRSuccess, ResultOCR()
	case advanceai.IDVForgeryDetected:
		idv["forgeryLabels"] = []string{"pastedPhoto"}
		ocrCode, ocr = advanceai.OCRSuccess, ResultOCR()
	case advanceai.IDVLowQualityImage:
		idv["isLowQuality"] = true
		idv["qualityLabels"] = []string{"blur", "dim"}
	}
	return map[string]any{
		"image":        s.URL + "/h5_iqa/" + id + "_front_SCAN.png",
		"croppedImage": s.URL + "/h5_iqa/" + id + "_processed.png",
		"imageType":    "SCAN",
		"idvCode":      idvCode,
		"idvResult":    idv,
		"ocrCode":      ocrCode,
		"ocrResult":    ocr,
	}
}
