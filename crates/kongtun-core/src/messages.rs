//! The messages users meet when an input is wrong (a bad path, file, field, date or number,
//! and the words around them), in English and Thai side by side: one catalogue.
//!
//! Messages are written in English where a problem is found, with the values in them (the
//! text typed, a path, a limit). [`thai`] renders one in Thai by the catalogue entry whose
//! English template it matches, the values kept as written; a value that is itself a
//! catalogue message (`above 0 and at most 1000000`) is rendered too. A message no entry
//! matches stays English: never a wrong translation. [`Diagnostic::display_in`] renders a
//! whole diagnostic (`file:line:col: claim A1: items[0].qty: ...`) this way.
//!
//! ```
//! use kongtun_core::messages::thai;
//! assert_eq!(
//!     thai("`2025-02-30` is not a day of the calendar").as_deref(),
//!     Some("`2025-02-30` ไม่ใช่วันที่ที่มีอยู่จริงในปฏิทิน")
//! );
//! assert_eq!(
//!     thai("0 is out of range: expected above 0 and at most 1000000").as_deref(),
//!     Some("0 อยู่นอกช่วงที่รับได้: ต้องมากกว่า 0 และไม่เกิน 1000000")
//! );
//! assert_eq!(thai("something kongtun never says"), None);
//! ```
//!
//! [`Diagnostic::display_in`]: crate::diagnostic::Diagnostic::display_in

/// English template and Thai template; `{0}`, `{1}`, ... stand for the values, in the order
/// the English gives them (the Thai may place them anywhere). Longer, more specific templates
/// come before shorter ones they share a beginning with. A value is rendered in Thai when it is
/// kongtun's own words (a catalogue message, a date); one in backticks (what the user typed)
/// or written `{=0}` (a path, an id, a code, a list of names) is always kept as written.
pub const CATALOGUE: &[(&str, &str)] = &[
    // Paths and files
    ("{=0}: no such file or folder (did you mean {=1}?)", "{=0}: ไม่พบไฟล์หรือโฟลเดอร์นี้ (หมายถึง {=1} หรือไม่?)"),
    ("{=0}: no such file or folder", "{=0}: ไม่พบไฟล์หรือโฟลเดอร์นี้"),
    ("no such file or directory", "ไม่พบไฟล์หรือโฟลเดอร์นี้"),
    ("{=0}: no such file or directory", "{=0}: ไม่พบไฟล์หรือโฟลเดอร์นี้"),
    ("permission denied", "ไม่มีสิทธิ์อ่านไฟล์นี้"),
    (
        "the rules directory {=0} does not exist (did you mean {=1}?)",
        "ไม่พบโฟลเดอร์กฎ {=0} (หมายถึง {=1} หรือไม่?)",
    ),
    ("the rules directory {=0} does not exist", "ไม่พบโฟลเดอร์กฎ {=0}"),
    ("the rules directory {=0} is not a directory", "{=0} ไม่ใช่โฟลเดอร์กฎ (เป็นไฟล์)"),
    ("set in {=0}", "กำหนดไว้ใน {=0}"),
    ("{=0}: no {1} file matches (did you mean {=2}?)", "{=0}: ไม่มีไฟล์{1}ที่ตรงกับรูปแบบนี้ (หมายถึง {=2} หรือไม่?)"),
    ("{=0}: no {1} file matches", "{=0}: ไม่มีไฟล์{1}ที่ตรงกับรูปแบบนี้"),
    ("{=0}: no {1} in this folder (files ending {=2})", "{=0}: ไม่มี{1}ในโฟลเดอร์นี้ (ไฟล์ที่ลงท้ายด้วย {=2})"),
    ("skipped {=0}: not {1} (files ending {=2})", "ข้าม {=0}: ไม่ใช่{1} (ไฟล์ที่ลงท้ายด้วย {=2})"),
    ("evaluated claims", "เคลมที่ประเมินแล้ว"),
    ("statements", "รายการจ่ายของกองทุน"),
    ("event logs", "บันทึกเหตุการณ์"),
    ("visit lists", "รายการการรับบริการ"),
    ("claim documents", "เอกสารเคลม"),
    ("claims", "เคลม"),
    ("input", "ข้อมูลนำเข้า"),
    (
        "the file is UTF-16 text: save it as UTF-8 (Excel: \"CSV UTF-8\"; Notepad: Save as, Encoding UTF-8)",
        "ไฟล์นี้เป็นข้อความ UTF-16: บันทึกใหม่เป็น UTF-8 (Excel: \"CSV UTF-8\"; Notepad: บันทึกเป็น เลือกการเข้ารหัส UTF-8)",
    ),
    ("skipped: not a claim file ({0})", "ข้ามไฟล์: ไม่ใช่ไฟล์เคลม ({0})"),
    (
        "skipped the files of the 16-file set {=0}: give its folder to read it",
        "ข้ามไฟล์ของชุด 16 แฟ้ม {=0}: ระบุโฟลเดอร์ของชุดเพื่ออ่านข้อมูล",
    ),
    ("skipped: not a regular file (a pipe, device or socket)", "ข้ามไฟล์: ไม่ใช่ไฟล์ปกติ"),
    (
        "claims are .yaml, .yml, .json, .jsonl, .ndjson, or sheets .csv, .xlsx, .xlsm, .xls",
        "เคลมต้องเป็นไฟล์ .yaml, .yml, .json, .jsonl, .ndjson หรือตาราง .csv, .xlsx, .xlsm, .xls",
    ),
    ("claims are .yaml, .yml, .json, .jsonl or .ndjson", "เคลมต้องเป็นไฟล์ .yaml, .yml, .json, .jsonl หรือ .ndjson"),
    // The 16-file set (e-Claim export): rows, visits, charges
    (
        "the row has {0} fields where the header has {1}: a column is left out or added, so its fields sit in the wrong columns",
        "แถวนี้มี {0} ช่อง แต่หัวตารางมี {1} ช่อง: มีคอลัมน์ขาดหรือเกิน ข้อมูลจึงอยู่ผิดคอลัมน์",
    ),
    (
        "the row has {0} fields where the header has {1} (a column left out or added, so fields sit in the wrong columns); {2}",
        "แถวนี้มี {0} ช่อง แต่หัวตารางมี {1} ช่อง (มีคอลัมน์ขาดหรือเกิน ข้อมูลจึงอยู่ผิดคอลัมน์); {2}",
    ),
    ("{0}: no such visit in OPD nor admission in IPD", "{0}: ไม่พบการรับบริการนี้ใน OPD หรือการรับไว้รักษาใน IPD"),
    ("HN {=0} with no AN and no SEQ", "HN {=0} ที่ไม่มีทั้ง AN และ SEQ"),
    ("AN {=0} is no admission of this set", "AN {=0} ไม่ใช่การรับไว้รักษาในชุดข้อมูลนี้"),
    ("the visit cannot be read", "อ่านข้อมูลการรับบริการนี้ไม่ได้"),
    ("empty", "ไม่มีข้อมูล"),
    ("empty: an OPD row needs its SEQ, the claim id", "ไม่มีข้อมูล: แถว OPD ต้องมี SEQ ซึ่งเป็นเลขที่เคลม"),
    ("empty: an IPD row needs its AN, the claim id", "ไม่มีข้อมูล: แถว IPD ต้องมี AN ซึ่งเป็นเลขที่เคลม"),
    ("empty: the visit needs its HN", "ไม่มีข้อมูล: การรับบริการต้องมี HN"),
    ("empty: expected a date YYYYMMDD", "ไม่มีข้อมูล: ต้องเป็นวันที่แบบ YYYYMMDD"),
    ("empty: the visit's right decides its fund", "ไม่มีข้อมูล: สิทธิของการรับบริการเป็นตัวกำหนดกองทุน"),
    ("empty: expected an ICD-10 code", "ไม่มีข้อมูล: ต้องเป็นรหัส ICD-10"),
    ("empty: expected an ICD-9-CM code", "ไม่มีข้อมูล: ต้องเป็นรหัส ICD-9-CM"),
    ("`{0}` is not a date: expected YYYYMMDD", "`{0}` ไม่ใช่วันที่: ต้องเป็นแบบ YYYYMMDD"),
    ("`{0}` is too large or too precise a number", "`{0}` เป็นตัวเลขที่ใหญ่หรือละเอียดเกินไป"),
    ("`{0}` is negative: expected 0 or more", "`{0}` ติดลบ: ต้องเป็น 0 ขึ้นไป"),
    ("`{0}` is out of range: expected above 0 and at most {1}", "`{0}` อยู่นอกช่วงที่รับได้: ต้องมากกว่า 0 และไม่เกิน {1}"),
    ("`{0}` has more than {1} decimals", "`{0}` มีทศนิยมเกิน {1} ตำแหน่ง"),
    ("`{0}` is above the {1} baht limit", "`{0}` เกินเพดาน {1} บาท"),
    ("`{0}` is not an ADP TYPE: expected 1-20", "`{0}` ไม่ใช่ TYPE ของ ADP: ต้องเป็น 1-20"),
    (
        "`{0}` is not a CHRGITEM code: expected a category character 1-9, A-J and a flag 1 or 2, or K1",
        "`{0}` ไม่ใช่รหัส CHRGITEM: ต้องเป็นอักษรหมวด 1-9, A-J ตามด้วย 1 หรือ 2 หรือเป็น K1",
    ),
    (
        "no INS row for this visit (HN {=0}, {=1}): its right (INSCL), and so its fund, is unknown",
        "ไม่มีแถว INS ของการรับบริการนี้ (HN {=0}, {=1}): จึงไม่ทราบสิทธิ (INSCL) และกองทุน",
    ),
    (
        "HN {=0} has several INS rows that name no visit (no AN, no SEQ), and they differ (first on line {1}): which right applies is unclear; give each its SEQ or AN",
        "HN {=0} มีแถว INS หลายแถวที่ไม่ระบุการรับบริการ (ไม่มี AN และ SEQ) และข้อมูลต่างกัน (แถวแรกที่บรรทัด {1}): ไม่ทราบว่าใช้สิทธิใด ให้ระบุ SEQ หรือ AN ในแต่ละแถว",
    ),
    (
        "`{0}` is not in the INSCL code map ({=1}; known: {=2}): add it there to claim this right",
        "`{0}` ไม่อยู่ในตารางรหัส INSCL ({=1}; ที่มีอยู่: {=2}): เพิ่มรหัสนี้ในตารางเพื่อเบิกสิทธินี้",
    ),
    ("no charge lines: the visit has no CHA, ADP or DRU row", "ไม่มีรายการค่าใช้จ่าย: การรับบริการนี้ไม่มีแถว CHA, ADP หรือ DRU"),
    ("CHT TOTAL is {0} but the CHA rows of the visit come to {1}", "CHT TOTAL เป็น {0} แต่แถว CHA ของการรับบริการรวมได้ {1}"),
    (
        "CHT TOTAL is {0} but the ADP and DRU lines of the visit come to {1}",
        "CHT TOTAL เป็น {0} แต่รายการ ADP และ DRU ของการรับบริการรวมได้ {1}",
    ),
    (
        "CHA {=0} is {1} but the ADP and DRU lines of category {2} come to {3}: the items are above the summary",
        "CHA {=0} เป็น {1} แต่รายการ ADP และ DRU ของหมวด {2} รวมได้ {3}: รายการย่อยสูงกว่ายอดสรุป",
    ),
    (
        "the ADP and DRU lines of category {0} come to {1} but CHA has no {=2} row for this visit (0.00): the items are above the summary",
        "รายการ ADP และ DRU ของหมวด {0} รวมได้ {1} แต่ CHA ไม่มีแถว {=2} ของการรับบริการนี้ (0.00): รายการย่อยสูงกว่ายอดสรุป",
    ),
    (
        "TYPE {0} takes the category of the CHA line it falls under, but {1}: give the row a TYPE that names its category (2, 9-20)",
        "TYPE {0} ใช้หมวดของแถว CHA ที่รายการนี้อยู่ภายใต้ แต่{1}: ให้ระบุ TYPE ที่บอกหมวดของรายการ (2, 9-20)",
    ),
    (
        "it could fall under any of {=0}, and the rows of TYPE 1 and 3-8 ({1}) match none of them exactly",
        "รายการนี้อาจอยู่ภายใต้ {=0} ก็ได้ และแถว TYPE 1 และ 3-8 ({1}) ไม่ตรงกับแถวใดพอดี",
    ),
    (
        "K1 (พรบ.) names no charge category: kongtun takes the accident from AER and each charge by its category; export the charges by category (1-9, A-J)",
        "K1 (พรบ.) ไม่ได้ระบุหมวดค่าใช้จ่าย: kongtun อ่านข้อมูลอุบัติเหตุจาก AER และค่าใช้จ่ายแต่ละรายการตามหมวด ให้ส่งออกค่าใช้จ่ายแยกตามหมวด (1-9, A-J)",
    ),
    ("read as TIS-620 / Windows-874 (the file is not UTF-8)", "อ่านเป็น TIS-620 / Windows-874 (ไฟล์นี้ไม่ใช่ UTF-8)"),
    (
        "{0} bytes are neither UTF-8 nor TIS-620 / Windows-874 text; each is read as \u{FFFD}",
        "มี {0} ไบต์ที่ไม่ใช่ข้อความ UTF-8 หรือ TIS-620 / Windows-874 แต่ละไบต์อ่านเป็น \u{FFFD}",
    ),
    (
        "no header row: the fields are read in the standard order of the current layout",
        "ไม่มีแถวหัวตาราง: อ่านข้อมูลตามลำดับคอลัมน์มาตรฐานของรูปแบบปัจจุบัน",
    ),
    ("skipped: leave days have no place in a claim", "ข้ามไฟล์: วันลากลับบ้านของผู้ป่วยในไม่ได้ใช้ในการเบิก"),
    ("skipped: referrals have no place in a claim", "ข้ามไฟล์: ข้อมูลการส่งต่อไม่ได้ใช้ในการเบิก"),
    (
        "skipped: lab results are not part of a claim (read only for HCODE)",
        "ข้ามไฟล์: ผลแล็บไม่ใช่ส่วนของการเบิก (อ่านเฉพาะ HCODE)",
    ),
    (
        "skipped: not one of the 16 files (LAB, CHR and the other 17- and 18-file additions are not used)",
        "ข้ามไฟล์: ไม่ใช่หนึ่งใน 16 แฟ้ม (LAB, CHR และแฟ้มที่เพิ่มในชุด 17 และ 18 แฟ้มไม่ได้ใช้)",
    ),
    // Fields
    (
        "unknown field `{0}` (did you mean `{1}`?); expected one of: {=2}",
        "ไม่รู้จักช่อง `{0}` (หมายถึง `{1}` หรือไม่?); ช่องที่รับได้: {=2}",
    ),
    ("unknown field `{0}`; expected one of: {=1}", "ไม่รู้จักช่อง `{0}`; ช่องที่รับได้: {=1}"),
    ("missing required field `{0}`", "ไม่มีช่อง `{0}` ซึ่งต้องมี"),
    (
        "unknown column `{0}` (did you mean `{1}`?); the columns are: {=2}",
        "ไม่รู้จักคอลัมน์ `{0}` (หมายถึง `{1}` หรือไม่?); คอลัมน์ที่รับได้: {=2}",
    ),
    ("unknown column `{0}`; the columns are: {=1}", "ไม่รู้จักคอลัมน์ `{0}`; คอลัมน์ที่รับได้: {=1}"),
    ("the header has no {=0} column: a claim sheet needs {=1}", "แถวหัวตารางไม่มีคอลัมน์ {=0}: ตารางเคลมต้องมีคอลัมน์ {=1}"),
    (
        "missing: an admission number is required when setting is ip",
        "ไม่มีข้อมูล: ผู้ป่วยใน (setting ip) ต้องมีเลขที่ผู้ป่วยใน (AN)",
    ),
    (
        "missing: a discharge date is required when setting is ip",
        "ไม่มีข้อมูล: ผู้ป่วยใน (setting ip) ต้องมีวันที่จำหน่าย",
    ),
    ("expected a claim (a mapping), found {0}", "ต้องเป็นเคลมหนึ่งรายการ (แบบ mapping) แต่พบ {0}"),
    ("expected at least one charge line", "ต้องมีรายการค่ารักษาอย่างน้อยหนึ่งรายการ"),
    ("expected one of: {0}, found `{1}`", "ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: {0} แต่พบ `{1}`"),
    ("{=0} (also {=1}, in any letter case)", "{=0} (หรือ {=1} จะพิมพ์ตัวเล็กหรือตัวใหญ่ก็ได้)"),
    ("expected true or false, found `{0}`", "ต้องเป็น true หรือ false แต่พบ `{0}`"),
    ("expected text, found {0}", "ต้องเป็นข้อความ แต่พบ {0}"),
    ("expected a whole number ({0}), found `{1}`", "ต้องเป็นจำนวนเต็ม แต่พบ `{1}`"),
    ("a list", "รายการ (list)"),
    ("a mapping", "ชุดข้อมูล (mapping)"),
    (
        "duplicate claim id, first used at {=0}: expected ids unique within a batch",
        "เลขที่เคลมซ้ำ ใช้แล้วที่ {=0}: เลขที่เคลมต้องไม่ซ้ำกันในชุดเดียวกัน",
    ),
    // Documents
    ("not UTF-8 text: it looks like UTF-16: save it as UTF-8", "ไม่ใช่ข้อความ UTF-8: ดูเหมือนเป็น UTF-16 ให้บันทึกใหม่เป็น UTF-8"),
    (
        "not UTF-8 text: it looks like Thai TIS-620 / Windows-874: save it as UTF-8",
        "ไม่ใช่ข้อความ UTF-8: ดูเหมือนเป็นภาษาไทย TIS-620 / Windows-874 ให้บันทึกใหม่เป็น UTF-8",
    ),
    ("not UTF-8 text: save it as UTF-8", "ไม่ใช่ข้อความ UTF-8: ให้บันทึกใหม่เป็น UTF-8"),
    ("not valid JSON: {0}", "ไม่ใช่ JSON ที่ถูกต้อง: {0}"),
    ("the file is empty: expected a claim or `claims:` with a list", "ไฟล์ว่างเปล่า: ต้องมีเคลม หรือ `claims:` ตามด้วยรายการเคลม"),
    ("`claims:` must be a list of claims", "`claims:` ต้องตามด้วยรายการเคลม"),
    ("a file with `claims:` holds nothing else", "ไฟล์ที่มี `claims:` ต้องไม่มีอย่างอื่น"),
    ("expected a claim or `claims:` with a list, found {0}", "ต้องเป็นเคลม หรือ `claims:` ตามด้วยรายการเคลม แต่พบ {0}"),
    ("expected one claim object per line, found {0}", "แต่ละบรรทัดต้องเป็นเคลมหนึ่งรายการ (JSON object) แต่พบ {0}"),
    ("expected one claim object per line", "แต่ละบรรทัดต้องเป็นเคลมหนึ่งรายการ (JSON object)"),
    (
        "more than one YAML document (`---`) in a file; put claims in one list under `claims:`",
        "มีเอกสาร YAML มากกว่าหนึ่งชุด (`---`) ในไฟล์เดียว: ให้ใส่เคลมทั้งหมดในรายการเดียวใต้ `claims:`",
    ),
    ("anchors (&name) are not supported: write each value out in full", "ไม่รองรับ anchor (&name): ให้เขียนค่าแต่ละค่าเต็ม ๆ"),
    ("aliases (*name) are not supported: write each value out in full", "ไม่รองรับ alias (*name): ให้เขียนค่าแต่ละค่าเต็ม ๆ"),
    ("nested deeper than {0} levels", "ซ้อนกันลึกเกิน {0} ชั้น"),
    ("duplicate key `{0}` (first at line {1})", "ชื่อช่อง `{0}` ซ้ำ (ครั้งแรกที่บรรทัด {1})"),
    ("a mapping key must be text, not a list or mapping", "ชื่อช่องต้องเป็นข้อความ ไม่ใช่รายการหรือชุดข้อมูล"),
    ("the line is over {0} MB; one claim is limited to that", "บรรทัดยาวเกิน {0} MB ซึ่งเป็นขนาดสูงสุดของเคลมหนึ่งรายการ"),
    ("the line is {0} MB; one claim is limited to {1} MB", "บรรทัดยาว {0} MB เกินขนาดสูงสุดของเคลมหนึ่งรายการ ({1} MB)"),
    ("expected a list, found {0}", "ต้องเป็นรายการ (list) แต่พบ {0}"),
    ("must not be empty when given", "ถ้าระบุต้องไม่ว่าง"),
    // Numbers
    ("`{0}` is not a decimal number", "`{0}` ไม่ใช่ตัวเลข"),
    ("{0} is out of range: expected {1}", "{0} อยู่นอกช่วงที่รับได้: ต้อง{1}"),
    ("above {0} and at most {1}", "มากกว่า {0} และไม่เกิน {1}"),
    ("0 to {0} baht", "อยู่ระหว่าง 0 ถึง {0} บาท"),
    ("0 to {0}", "อยู่ระหว่าง 0 ถึง {0}"),
    ("`{0}` has more than 2 decimals (satang is the smallest unit)", "`{0}` มีทศนิยมเกิน 2 ตำแหน่ง (หน่วยที่เล็กที่สุดคือสตางค์)"),
    ("{0} has more than {1} decimals", "{0} มีทศนิยมเกิน {1} ตำแหน่ง"),
    (
        "{0} is negative: expected 0 or more (refunds are not charge lines)",
        "{0} ติดลบ: ต้องเป็น 0 ขึ้นไป (การคืนเงินไม่ใช่รายการค่ารักษา)",
    ),
    ("{0} is above the {1} baht limit", "{0} เกินเพดาน {1} บาท"),
    ("{0} is negative: expected what PRB already paid, 0 or more", "{0} ติดลบ: ต้องเป็นยอดที่ พ.ร.บ. จ่ายไปแล้ว ตั้งแต่ 0 ขึ้นไป"),
    (
        "{0} is after service_date {1}: expected the accident before the visit",
        "{0} อยู่หลังวันที่รับบริการ {1}: วันเกิดอุบัติเหตุต้องอยู่ก่อนการรับบริการ",
    ),
    ("must not be empty", "ต้องไม่ว่าง"),
    ("a fund id must not be empty", "รหัสสิทธิต้องไม่ว่าง"),
    ("`{0}` is too large (at most 28 digits)", "`{0}` ใหญ่เกินไป (ไม่เกิน 28 หลัก)"),
    ("category {0} is outside 1-16", "หมวด {0} อยู่นอกช่วง 1-16"),
    // Dates
    ("`{0}` is not a day of the calendar", "`{0}` ไม่ใช่วันที่ที่มีอยู่จริงในปฏิทิน"),
    (
        "`{0}` is not a date: expected YYYY-MM-DD, dd/mm/yyyy or `30 ก.ย. 2568` (CE, or BE when the year is 2400 or more)",
        "`{0}` ไม่ใช่วันที่: ต้องเป็น YYYY-MM-DD, dd/mm/yyyy หรือ `30 ก.ย. 2568` (ค.ศ. หรือ พ.ศ. เมื่อปีตั้งแต่ 2400 ขึ้นไป)",
    ),
    ("{0} is before service_date {1}: expected on or after it", "{0} อยู่ก่อนวันที่รับบริการ {1}: ต้องเป็นวันเดียวกันหรือหลังจากนั้น"),
    ("{0} is outside the visit: expected {1}", "{0} อยู่นอกช่วงการรับบริการ: ต้องเป็น{1}"),
    ("on or after {0}", "ตั้งแต่ {0} เป็นต้นไป"),
    ("from {0} to {1}", "ตั้งแต่ {0} ถึง {1}"),
    // Claim sheets (CSV and Excel)
    (
        "`{0}` on row {1} differs from `{2}` on row {3} of the same claim: a claim's fields are the same on each of its rows (or left blank)",
        "`{0}` ในแถว {1} ไม่ตรงกับ `{2}` ในแถว {3} ของเคลมเดียวกัน: ข้อมูลระดับเคลมต้องเหมือนกันทุกแถว (หรือเว้นว่าง)",
    ),
    ("blank, and no row above it names a claim: expected the claim's id", "ว่าง และไม่มีแถวด้านบนที่ระบุเคลม: ต้องใส่เลขที่เคลม"),
    ("blank: a value is required (e.g. `{0}`)", "ว่าง: ต้องมีค่า (เช่น `{0}`)"),
    (
        "no charge line: a claim needs at least one row with code, category, qty and price",
        "ไม่มีรายการค่ารักษา: เคลมต้องมีอย่างน้อยหนึ่งแถวที่มีรหัสรายการ หมวด จำนวน และราคา",
    ),
    (
        "`{0}` is not a setting: expected op (OP, OPD, ผู้ป่วยนอก) or ip (IP, IPD, ผู้ป่วยใน)",
        "`{0}` ไม่ใช่ประเภทผู้ป่วย: ต้องเป็น op (OP, OPD, ผู้ป่วยนอก) หรือ ip (IP, IPD, ผู้ป่วยใน)",
    ),
    (
        "`{0}` is not a date: expected dd/mm/yyyy (BE or CE, e.g. 20/12/2568), yyyy-mm-dd or an Excel date",
        "`{0}` ไม่ใช่วันที่: ต้องเป็น dd/mm/yyyy (พ.ศ. หรือ ค.ศ. เช่น 20/12/2568), yyyy-mm-dd หรือวันที่ของ Excel",
    ),
    ("`{0}` is not a date Excel can show", "`{0}` ไม่ใช่วันที่ที่ Excel แสดงได้"),
    (
        "`{0}` is not a number: expected digits with an optional decimal point (1234.50 or 1,234.50)",
        "`{0}` ไม่ใช่ตัวเลข: ต้องเป็นตัวเลข มีจุดทศนิยมได้ (1234.50 หรือ 1,234.50)",
    ),
    (
        "`{0}` is not a number: expected digits such as 1.2345 (the cell holds {1})",
        "`{0}` ไม่ใช่ตัวเลข: ต้องเป็นตัวเลข เช่น 1.2345 (เซลล์นี้เป็น {1})",
    ),
    (
        "`{0}` is not yes or no: expected true/false, yes/no, y/n, 1/0 or ใช่/ไม่ใช่",
        "`{0}` ไม่ใช่ ใช่/ไม่ใช่: ต้องเป็น true/false, yes/no, y/n, 1/0 หรือ ใช่/ไม่ใช่",
    ),
    ("`{0}` is outside the accepted range of +/-10,000,000,000 baht", "`{0}` อยู่นอกช่วงที่รับได้ คือ +/-10,000,000,000 บาท"),
    (
        "`{0}` is the year {1} CE (read as BE {2}): only 1900 to 9999 CE are accepted",
        "`{0}` คือปี ค.ศ. {1} (อ่านเป็น พ.ศ. {2}): รับได้เฉพาะ ค.ศ. 1900 ถึง 9999",
    ),
    ("`{0}` is the year {1} CE: only 1900 to 9999 CE are accepted", "`{0}` คือปี ค.ศ. {1}: รับได้เฉพาะ ค.ศ. 1900 ถึง 9999"),
    (
        "`{0}` is under a column with no header: put values under the named columns, or clear the cell",
        "`{0}` อยู่ใต้คอลัมน์ที่ไม่มีหัวตาราง: ใส่ค่าใต้คอลัมน์ที่มีชื่อ หรือลบค่านี้ออก",
    ),
    (
        "`{0}` is under no column of the header: put values under the named columns, or clear the cell",
        "`{0}` อยู่นอกคอลัมน์ของหัวตาราง: ใส่ค่าใต้คอลัมน์ที่มีชื่อ หรือลบค่านี้ออก",
    ),
    (
        "the cell holds a formula error ({0}): fix the formula, or type the value",
        "เซลล์นี้เป็นสูตรที่ผิดพลาด ({0}): แก้สูตร หรือพิมพ์ค่าลงไปแทน",
    ),
    (
        "`{0}` is a TRUE/FALSE cell: expected text (format the column as text)",
        "`{0}` เป็นเซลล์ TRUE/FALSE: ต้องเป็นข้อความ (จัดรูปแบบคอลัมน์เป็นข้อความ)",
    ),
    (
        "`{0}` is a date cell: expected text (format the column as text)",
        "`{0}` เป็นเซลล์วันที่: ต้องเป็นข้อความ (จัดรูปแบบคอลัมน์เป็นข้อความ)",
    ),
    ("`{0}` holds a control character (U+{1}): expected printable text", "`{0}` มีอักขระควบคุม (U+{1}): ต้องเป็นข้อความที่พิมพ์ได้"),
    (
        "`{0}` is a number Excel wrote in scientific notation, its digits lost: format the column as text and type the number again",
        "`{0}` เป็นตัวเลขที่ Excel เขียนแบบวิทยาศาสตร์ ตัวเลขบางหลักหายไป: จัดรูปแบบคอลัมน์เป็นข้อความแล้วพิมพ์ตัวเลขใหม่",
    ),
    (
        "{0} charge lines: a claim is limited to {1} (a larger one is refused, so that no claim can hold up a batch)",
        "{0} รายการค่ารักษา: เคลมหนึ่งมีได้ไม่เกิน {1} รายการ (เคลมที่ใหญ่กว่านี้ไม่รับ เพื่อไม่ให้เคลมใดทำให้ทั้งชุดค้าง)",
    ),
    (
        "the header has no {=0} column: a visit list's header is visit,hn,fund,date (and name, if the letters need it)",
        "แถวหัวตารางไม่มีคอลัมน์ {=0}: หัวตารางของรายการการรับบริการคือ visit,hn,fund,date (และ name ถ้าจะออกหนังสือทวงถาม)",
    ),
    ("and {0} more problems in this claim's rows", "และยังมีปัญหาอีก {0} รายการในแถวของเคลมนี้"),
    (
        "a quoted cell runs on past the end of its line (a quote opened and not closed?): a claim sheet's cells hold no line breaks",
        "เซลล์ที่อยู่ในเครื่องหมายคำพูดยาวเกินบรรทัด (เปิดเครื่องหมายคำพูดแล้วไม่ได้ปิด?): เซลล์ของตารางเคลมขึ้นบรรทัดใหม่ไม่ได้",
    ),
    (
        "byte 0x{0} is not UTF-8, and the file is not TIS-620 text either: save it again as \"CSV UTF-8\"",
        "ไบต์ 0x{0} ไม่ใช่ UTF-8 และไฟล์นี้ก็ไม่ใช่ข้อความ TIS-620: บันทึกใหม่เป็น \"CSV UTF-8\"",
    ),
    (
        "a value at row {0}, column {1} makes the sheet {2} cells wide and long: a claim sheet is limited to {3} cells; delete what is far out, or copy the claims to a new sheet",
        "มีค่าที่แถว {0} คอลัมน์ {1} ทำให้ตารางกว้างยาว {2} เซลล์: ตารางเคลมมีได้ไม่เกิน {3} เซลล์ ลบค่าที่อยู่ไกลออก หรือคัดลอกเคลมไปยังชีตใหม่",
    ),
    ("its parts unpack to {0} bytes: a workbook is limited to {1} unpacked", "เมื่อแตกไฟล์แล้วมีขนาด {0} ไบต์: ไฟล์ Excel แตกแล้วต้องไม่เกิน {1} ไบต์"),
    (
        "no header row: the sheet is empty (expected a row naming the columns, e.g. {0})",
        "ไม่มีแถวหัวตาราง: ชีตว่างเปล่า (ต้องมีแถวที่ระบุชื่อคอลัมน์ เช่น {0})",
    ),
    ("{0} bytes: a claim sheet is limited to {1} bytes; split it", "{0} ไบต์: ตารางเคลมมีขนาดได้ไม่เกิน {1} ไบต์ แบ่งเป็นหลายไฟล์"),
    (
        "cannot be read as an Excel workbook (.xlsx, .xlsm or .xls): {0}",
        "อ่านเป็นไฟล์ Excel (.xlsx, .xlsm หรือ .xls) ไม่ได้: {0}",
    ),
    (
        "column `{0}` is `{1}` again (column {2} is `{3}`): each column once",
        "คอลัมน์ `{0}` คือ `{1}` ซ้ำ (คอลัมน์ {2} คือ `{3}`): แต่ละคอลัมน์มีได้ครั้งเดียว",
    ),
    // Funds
    (
        "`{0}` is not a fund kongtun knows (did you mean `{1}`?): funds with packs: {=2}; other names for them are in rules/codes/funds.yaml",
        "`{0}` ไม่ใช่สิทธิที่ kongtun รู้จัก (หมายถึง `{1}` หรือไม่?): สิทธิที่มีชุดกฎ: {=2} ชื่ออื่นของสิทธิอยู่ใน rules/codes/funds.yaml",
    ),
    (
        "`{0}` is not a fund kongtun knows: funds with packs: {=1}; other names for them are in rules/codes/funds.yaml",
        "`{0}` ไม่ใช่สิทธิที่ kongtun รู้จัก: สิทธิที่มีชุดกฎ: {=1} ชื่ออื่นของสิทธิอยู่ใน rules/codes/funds.yaml",
    ),
    (
        "fund {=0} only has a primary (pays-first) pack; a claim's main fund needs a main pack",
        "สิทธิ {=0} มีเฉพาะชุดกฎของผู้จ่ายก่อน (เช่น พ.ร.บ.) จึงเป็นสิทธิหลักของเคลมไม่ได้",
    ),
    // The words around them
    ("{0} claims: {1} valid, {2} rejected, {3} unreadable", "{0} เคลม: ผ่าน {1}, ไม่ผ่าน {2}, อ่านไม่ได้ {3}"),
    ("{0} claims: {1} valid, {2} rejected", "{0} เคลม: ผ่าน {1}, ไม่ผ่าน {2}"),
    ("{0} claims: {1} evaluated, {2} rejected", "{0} เคลม: ประเมินแล้ว {1}, ไม่ผ่าน {2}"),
    (
        "no claim with id {=0} in the given files (did you mean {=1}?)",
        "ไม่พบเคลมรหัส {=0} ในไฟล์ที่ระบุ (หมายถึง {=1} หรือไม่?)",
    ),
    ("no claim with id {=0} in the given files", "ไม่พบเคลมรหัส {=0} ในไฟล์ที่ระบุ"),
];

/// Words that begin a diagnostic's line: English, Thai.
pub const WORDS: &[(&str, &str)] =
    &[("claim", "เคลม"), ("warning", "คำเตือน"), ("rejected", "ไม่ผ่าน"), ("error", "ข้อผิดพลาด")];

/// The Thai of a word of [`WORDS`], or the word itself.
pub fn word(english: &str, thai_wanted: bool) -> &str {
    if !thai_wanted {
        return english;
    }
    WORDS.iter().find(|(en, _)| *en == english).map_or(english, |(_, th)| th)
}

/// `message` in Thai by its catalogue entry, or `None` when no entry matches it.
pub fn thai(message: &str) -> Option<String> {
    // Where a setting came from (` (set in kongtun.toml:7: receivables.claims)`) may follow
    // any message.
    if let Some((message, from)) = message.rsplit_once(" (set in ").filter(|(_, f)| f.ends_with(')')) {
        let from = &from[..from.len() - 1];
        return thai_within(message, 0).map(|th| format!("{th} (กำหนดไว้ใน {from})"));
    }
    thai_within(message, 0)
}

/// How deep values are translated in turn (a value of a value...).
const MAX_DEPTH: usize = 3;

fn thai_within(message: &str, depth: usize) -> Option<String> {
    CATALOGUE.iter().find_map(|(en, th)| {
        let values = matches(en, message)?;
        let verbatim = verbatim_placeholders(en);
        let values: Vec<String> = values
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                // A value in backticks is what the user typed: shown as typed, never translated
                // (`on or after 2025-01-01` typed as a date stays so). Others are kongtun's own
                // words (`expected above 0 and at most 1000000`).
                let own_words = !verbatim.get(i).copied().unwrap_or(true);
                // kongtun's own dates (`expected on or after 2025-03-10`) as Thai staff write
                // them, `10/03/2568`; a date the user typed, in backticks, stays as typed.
                match own_words && depth < MAX_DEPTH {
                    true => thai_within(v, depth + 1).or_else(|| thai_date(v)).unwrap_or_else(|| v.to_string()),
                    false => v.to_string(),
                }
            })
            .collect();
        Some(fill(th, &values))
    })
}

/// `text` in Thai form (`30/09/2568`) when it is exactly an ISO date (`2025-09-30`).
fn thai_date(text: &str) -> Option<String> {
    let looks_iso = text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-';
    looks_iso.then(|| crate::calendar::parse_iso_date(text).ok()).flatten().map(crate::calendar::format_thai)
}

/// For each placeholder of a template, in order, whether its value is kept as written: it
/// stands in backticks, or is written `{=0}`.
fn verbatim_placeholders(template: &str) -> Vec<bool> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| c + open) else { break };
        let quoted = rest[..open].ends_with('`') && rest[close + 1..].starts_with('`');
        out.push(quoted || rest[open + 1..close].starts_with('='));
        rest = &rest[close + 1..];
    }
    out
}

/// The values `message` gives the template's placeholders, if it matches the template.
fn matches<'m>(template: &str, message: &'m str) -> Option<Vec<&'m str>> {
    let mut literals = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}')? + open;
        literals.push(&rest[..open]);
        rest = &rest[close + 1..];
    }
    literals.push(rest);
    let mut values = Vec::new();
    match_from(&literals, message, &mut values).then_some(values)
}

/// Matches `literals` (the text between placeholders) against `text`, each placeholder taking
/// at least one character; tries every place a literal occurs, so values may hold the
/// literals' words themselves.
fn match_from<'m>(literals: &[&str], text: &'m str, values: &mut Vec<&'m str>) -> bool {
    let Some((first, rest)) = literals.split_first() else { return text.is_empty() };
    let Some(text) = text.strip_prefix(first) else { return false };
    let Some((next, _)) = rest.split_first() else { return text.is_empty() };
    if rest.len() == 1 {
        // The last placeholder takes what is left before the final literal.
        return text.len() > next.len() && text.ends_with(next) && {
            values.push(&text[..text.len() - next.len()]);
            true
        };
    }
    let mut from = text.chars().next().map_or(1, char::len_utf8);
    while let Some(at) = text.get(from..).and_then(|t| t.find(next)).map(|i| i + from) {
        values.push(&text[..at]);
        if match_from(rest, &text[at..], values) {
            return true;
        }
        values.pop();
        from = at + text[at..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// The Thai template with its placeholders filled.
fn fill(template: &str, values: &[String]) -> String {
    let mut out = String::with_capacity(template.len() + values.iter().map(String::len).sum::<usize>());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| c + open) else { break };
        out.push_str(&rest[..open]);
        match rest[open + 1..close].trim_start_matches('=').parse::<usize>().ok().and_then(|i| values.get(i)) {
            Some(v) => out.push_str(v),
            None => out.push_str(&rest[open..=close]),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// `message` in the language: Thai by the catalogue where an entry matches, else as written.
pub fn in_lang(message: &str, thai_wanted: bool) -> std::borrow::Cow<'_, str> {
    match thai_wanted.then(|| thai(message)).flatten() {
        Some(th) => std::borrow::Cow::Owned(th),
        None => std::borrow::Cow::Borrowed(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(template: &str) -> Vec<usize> {
        let mut out: Vec<usize> = template
            .split('{')
            .skip(1)
            .filter_map(|s| s.split('}').next())
            .filter_map(|n| n.trim_start_matches('=').parse().ok())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    #[test]
    fn every_message_has_both_languages_and_the_same_values() {
        let is_thai = |s: &str| s.chars().any(|c| ('\u{0E00}'..='\u{0E7F}').contains(&c));
        let mut seen = std::collections::HashSet::new();
        for (en, th) in CATALOGUE.iter().chain(WORDS) {
            assert!(!en.trim().is_empty() && is_thai(th), "{en:?} -> {th:?}");
            assert!(seen.insert(*en), "{en} twice");
            let (e, t) = (placeholders(en), placeholders(th));
            // The Thai may leave out a value only when it says it in other words.
            assert!(t.iter().all(|i| e.contains(i)), "{th} uses a value {en} does not give");
            assert_eq!(e, (0..e.len()).collect::<Vec<_>>(), "{en}: values numbered from 0 in order");
            if !en.starts_with("expected a whole number") {
                assert_eq!(e, t, "{en} / {th}: every value kept");
            }
        }
    }

    #[test]
    fn every_template_matches_its_own_example() {
        for (en, _) in CATALOGUE {
            let example = fill(en, &(0..4).map(|i| format!("V{i}")).collect::<Vec<_>>());
            assert!(thai(&example).is_some(), "{en} does not match {example}");
        }
    }

    #[test]
    fn values_keep_their_text_and_nested_messages_turn_thai() {
        assert_eq!(
            thai("examples/x.yaml: no such file or folder (did you mean examples/y.yaml?)").as_deref(),
            Some("examples/x.yaml: ไม่พบไฟล์หรือโฟลเดอร์นี้ (หมายถึง examples/y.yaml หรือไม่?)")
        );
        assert_eq!(
            thai("2025-03-09 is outside the visit: expected on or after 2025-03-10").as_deref(),
            Some("09/03/2568 อยู่นอกช่วงการรับบริการ: ต้องเป็นตั้งแต่ 10/03/2568 เป็นต้นไป")
        );
        assert_eq!(
            thai("2025-01-20 is outside the visit: expected from 2025-01-10 to 2025-01-14").as_deref(),
            Some("20/01/2568 อยู่นอกช่วงการรับบริการ: ต้องเป็นตั้งแต่ 10/01/2568 ถึง 14/01/2568")
        );
        // Paths and ids stay as written, even when they read as a catalogue word or a date.
        assert_eq!(
            thai("claims: no such file or folder (did you mean 2025-09-30?)").as_deref(),
            Some("claims: ไม่พบไฟล์หรือโฟลเดอร์นี้ (หมายถึง 2025-09-30 หรือไม่?)")
        );
        assert_eq!(
            thai("skipped empty: not claims (files ending .yaml)").as_deref(),
            Some("ข้าม empty: ไม่ใช่เคลม (ไฟล์ที่ลงท้ายด้วย .yaml)")
        );
        assert_eq!(
            thai("no claim with id 2025-01-10 in the given files").as_deref(),
            Some("ไม่พบเคลมรหัส 2025-01-10 ในไฟล์ที่ระบุ")
        );
        assert_eq!(
            thai("the line is 17 MB; one claim is limited to 16 MB").as_deref(),
            Some("บรรทัดยาว 17 MB เกินขนาดสูงสุดของเคลมหนึ่งรายการ (16 MB)")
        );
        // A value holding a literal's words is still one value.
        assert_eq!(
            thai("unknown field `a; expected one of: b` (did you mean `c`?); expected one of: d, e").as_deref(),
            Some("ไม่รู้จักช่อง `a; expected one of: b` (หมายถึง `c` หรือไม่?); ช่องที่รับได้: d, e")
        );
        // What the user typed stays as typed, even when it reads like kongtun's words.
        assert_eq!(
            thai("`on or after 2025-01-01` is not a day of the calendar").as_deref(),
            Some("`on or after 2025-01-01` ไม่ใช่วันที่ที่มีอยู่จริงในปฏิทิน")
        );
        assert_eq!(
            thai("ev/x.jsonl: no such file or folder (did you mean ev/y.jsonl?) (set in kongtun.toml:5: receivables.claims)")
                .as_deref(),
            Some("ev/x.jsonl: ไม่พบไฟล์หรือโฟลเดอร์นี้ (หมายถึง ev/y.jsonl หรือไม่?) (กำหนดไว้ใน kongtun.toml:5: receivables.claims)")
        );
        assert_eq!(thai(""), None);
        assert_eq!(in_lang("as written", true), "as written");
        assert_eq!(word("warning", true), "คำเตือน");
    }
}
