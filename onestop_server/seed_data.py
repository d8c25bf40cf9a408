"""The fixed vocabulary of the demo province (Tiền Giang) used by ``seed``.

Departments, staff accounts, the sample procedures of docs (DOMAIN.md) with their fields, times,
fees and document lists, and the name/address parts citizens are generated from. Everything here
is illustrative sample data, not regulation: codes look like QCVN 102:2016 office identifiers
and national procedure codes but are made up.
"""

from __future__ import annotations

from dataclasses import dataclass

PROVINCE = "tỉnh Tiền Giang"
DESK_NAME = "Trung tâm Phục vụ hành chính công tỉnh Tiền Giang"
DESK_CLERKS = (
    ("Nguyễn Thị Mộng Tuyền", "Công chức Bộ phận Một cửa"),
    ("Trần Minh Luân", "Công chức Bộ phận Một cửa"),
    ("Lê Thị Kim Ngân", "Viên chức Bộ phận Một cửa"),
)


@dataclass(frozen=True)
class Department:
    id: str
    name: str
    office_code: str
    key: str  # username suffix


DEPARTMENTS = (
    Department("snn", "Sở Nông nghiệp và Phát triển nông thôn", "000.00.15.H57", "nn"),
    Department("stnmt", "Sở Tài nguyên và Môi trường", "000.00.22.H57", "tnmt"),
    Department("ubnd-mytho", "UBND thành phố Mỹ Tho", "000.00.31.H57", "mytho"),
)

#: (department id, head full name, head title, [(officer full name, officer title) x 5])
STAFF: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    "snn": (
        "Võ Thành Nhân", "Trưởng phòng Quản lý chất lượng nông lâm sản và thủy sản",
        [("Huỳnh Ngọc Hân", "Chuyên viên"), ("Phan Văn Tài", "Chuyên viên"),
         ("Đặng Thị Thu Thảo", "Chuyên viên"), ("Lâm Quốc Huy", "Chuyên viên chính"),
         ("Ngô Thị Bích Trâm", "Chuyên viên")],
    ),
    "stnmt": (
        "Trương Văn Hùng", "Trưởng phòng Đăng ký và Cấp giấy chứng nhận",
        [("Nguyễn Văn An", "Chuyên viên"), ("Lê Thị Mỹ Dung", "Chuyên viên"),
         ("Trần Quốc Khánh", "Chuyên viên chính"), ("Bùi Thị Ngọc Lan", "Chuyên viên"),
         ("Dương Minh Trí", "Chuyên viên")],
    ),
    "ubnd-mytho": (
        "Phạm Thị Hồng Nhung", "Trưởng phòng Tư pháp",
        [("Châu Văn Phúc", "Chuyên viên"), ("Hồ Thị Kim Yến", "Chuyên viên"),
         ("Đỗ Thanh Tùng", "Chuyên viên chính"), ("Mai Thị Thanh Trúc", "Chuyên viên"),
         ("Lý Hoàng Nam", "Chuyên viên")],
    ),
}
ADMIN = ("admin", "Lâm Quốc Bảo", "Quản trị hệ thống")


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    field_code: str
    field_name: str
    department_id: str
    working_hours: int
    weight: float  # how common it is
    business: float  # share of applicants that are businesses
    fees: tuple[tuple[str, int], ...]
    documents: tuple[str, ...]  # submitted document names (first one always present)
    summary: str  # template: {name} {place} {parcel} {sheet} {street} {n}


PROCEDURES = (
    Procedure("1.012756.000.00.00.H57", "Đăng ký đất đai lần đầu", "DDAI", "Đất đai", "stnmt",
              17 * 8, 3.0, 0.05, (("Lệ phí đăng ký đất đai", 28000),),
              ("Đơn đăng ký đất đai, tài sản gắn liền với đất (Mẫu 04/ĐK)", "Bản sao CCCD",
               "Giấy tờ về nguồn gốc sử dụng đất"),
              "Đăng ký đất đai lần đầu thửa đất số {parcel}, tờ bản đồ số {sheet}, {place}"),
    Procedure("1.004227.000.00.00.H57", "Xóa đăng ký cho thuê, cho thuê lại quyền sử dụng đất",
              "DDAI", "Đất đai", "stnmt", 3 * 8, 1.0, 0.4, (),
              ("Văn bản thanh lý hợp đồng thuê đất", "Giấy chứng nhận quyền sử dụng đất (bản gốc)"),
              "Xóa đăng ký cho thuê quyền sử dụng đất thửa số {parcel}, tờ bản đồ số {sheet}, {place}"),
    Procedure("1.003003.000.00.00.H57", "Đăng ký biến động quyền sử dụng đất", "DDAI",
              "Đất đai", "stnmt", 10 * 8, 3.0, 0.1, (("Lệ phí cấp giấy chứng nhận", 50000),),
              ("Đơn đăng ký biến động đất đai (Mẫu 09/ĐK)", "Hợp đồng chuyển nhượng có công chứng",
               "Bản sao CCCD"),
              "Đăng ký biến động (chuyển nhượng) thửa đất số {parcel}, tờ bản đồ số {sheet}, {place}"),
    Procedure("1.005194.000.00.00.H57", "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu", "DDAI",
              "Đất đai", "stnmt", 20 * 8, 2.0, 0.05,
              (("Lệ phí cấp giấy chứng nhận", 100000), ("Phí thẩm định hồ sơ", 500000)),
              ("Đơn đề nghị cấp Giấy chứng nhận", "Trích lục bản đồ địa chính", "Bản sao CCCD"),
              "Cấp Giấy chứng nhận lần đầu thửa đất số {parcel}, tờ bản đồ số {sheet}, {place}"),
    Procedure("1.009972.000.00.00.H57", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "XDUNG",
              "Xây dựng", "ubnd-mytho", 15 * 8, 2.0, 0.0, (("Lệ phí cấp giấy phép xây dựng", 75000),),
              ("Đơn đề nghị cấp giấy phép xây dựng", "Bản vẽ thiết kế xây dựng",
               "Giấy chứng nhận quyền sử dụng đất (bản sao)"),
              "Cấp giấy phép xây dựng nhà ở riêng lẻ tại số {n} đường {street}, {place}"),
    Procedure("2.000528.000.00.00.H57", "Cấp Phiếu lý lịch tư pháp", "TPHAP", "Tư pháp",
              "ubnd-mytho", 10 * 8, 1.5, 0.0, (("Phí cung cấp thông tin lý lịch tư pháp", 200000),),
              ("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "Bản sao CCCD"),
              "Cấp Phiếu lý lịch tư pháp số 1 cho {title} {name}"),
    Procedure("2.000635.000.00.00.H57", "Cấp bản sao trích lục hộ tịch", "HTICH", "Hộ tịch",
              "ubnd-mytho", 4, 1.5, 0.0, (("Phí cấp bản sao trích lục", 8000),),
              ("Tờ khai cấp bản sao trích lục hộ tịch",),
              "Cấp bản sao trích lục khai sinh cho {title} {name}"),
    Procedure("1.001193.000.00.00.H57", "Đăng ký khai sinh", "HTICH", "Hộ tịch", "ubnd-mytho",
              8, 1.5, 0.0, (), ("Tờ khai đăng ký khai sinh", "Giấy chứng sinh"),
              "Đăng ký khai sinh cho cháu {child}, con của {title} {name}"),
    Procedure("2.001610.000.00.00.H57", "Đăng ký thành lập doanh nghiệp", "DKKD",
              "Đăng ký kinh doanh", "ubnd-mytho", 3 * 8, 1.0, 1.0,
              (("Lệ phí đăng ký doanh nghiệp", 50000),),
              ("Giấy đề nghị đăng ký doanh nghiệp", "Điều lệ công ty", "Danh sách thành viên"),
              "Đăng ký thành lập {name}"),
    Procedure("2.000720.000.00.00.H57", "Đăng ký hộ kinh doanh", "DKKD", "Đăng ký kinh doanh",
              "ubnd-mytho", 3 * 8, 1.5, 0.0, (("Lệ phí đăng ký hộ kinh doanh", 100000),),
              ("Giấy đề nghị đăng ký hộ kinh doanh", "Bản sao CCCD"),
              "Đăng ký hộ kinh doanh {shop} tại số {n} đường {street}, {place}"),
    Procedure("1.003040.000.00.00.H57",
              "Cấp GCN cơ sở đủ điều kiện an toàn thực phẩm nông lâm thủy sản", "NNGHIEP",
              "Nông nghiệp", "snn", 15 * 8, 2.5, 0.8, (("Phí thẩm định cơ sở", 700000),),
              ("Đơn đề nghị cấp Giấy chứng nhận", "Bản thuyết minh điều kiện cơ sở",
               "Giấy xác nhận kiến thức an toàn thực phẩm"),
              "Cấp GCN đủ điều kiện an toàn thực phẩm cho {name}, {place}"),
    Procedure("1.004839.000.00.00.H57", "Cấp chứng chỉ hành nghề thú y", "NNGHIEP",
              "Nông nghiệp", "snn", 5 * 8, 2.5, 0.0, (("Phí thẩm định cấp chứng chỉ", 100000),),
              ("Đơn đăng ký cấp chứng chỉ hành nghề thú y", "Bản sao văn bằng chuyên môn",
               "Giấy chứng nhận sức khỏe"),
              "Cấp chứng chỉ hành nghề thú y cho {title} {name}"),
    Procedure("2.000620.000.00.00.H57", "Cấp giấy phép bán lẻ rượu", "CTHUONG", "Công thương",
              "ubnd-mytho", 10 * 8, 0.8, 0.5, (("Phí thẩm định cấp giấy phép", 1200000),),
              ("Đơn đề nghị cấp giấy phép bán lẻ rượu", "Bản sao giấy đăng ký kinh doanh"),
              "Cấp giấy phép bán lẻ rượu cho {name} tại số {n} đường {street}, {place}"),
    Procedure("1.002809.000.00.00.H57", "Đổi giấy phép lái xe", "GTVT", "Giao thông vận tải",
              "ubnd-mytho", 5 * 8, 1.0, 0.0, (("Lệ phí cấp đổi giấy phép lái xe", 135000),),
              ("Đơn đề nghị đổi giấy phép lái xe", "Giấy khám sức khỏe", "Bản sao CCCD"),
              "Đổi giấy phép lái xe hạng B2 cho {title} {name}"),
)

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ",
          "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh", "Lâm", "Mai", "Tô", "Châu", "Thái")
FAMILY_WEIGHTS = (38, 11, 9, 7, 5, 3, 4, 5, 2, 2, 2, 2, 1.5, 1.5, 1, 1.5, 1, 1.5, 1, 1, 1, 0.5)
MIDDLE_MALE = ("Văn", "Hữu", "Minh", "Quốc", "Thanh", "Đức", "Công", "Ngọc", "Hoàng", "Tấn", "Thành")
MIDDLE_FEMALE = ("Thị", "Ngọc", "Thu", "Kim", "Mỹ", "Thanh", "Hồng", "Bích", "Thị Kim", "Thị Mỹ")
GIVEN_MALE = ("An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khang", "Long", "Minh", "Nam",
              "Phúc", "Quang", "Sơn", "Tài", "Thắng", "Trung", "Tuấn", "Việt", "Vinh", "Hiếu",
              "Khoa", "Lộc", "Nghĩa", "Phong", "Tâm", "Thịnh", "Toàn", "Đạt", "Lợi", "Nhân")
GIVEN_FEMALE = ("Anh", "Châu", "Diễm", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương",
                "Lan", "Linh", "Loan", "Mai", "My", "Ngân", "Nhung", "Oanh", "Phương", "Quyên",
                "Thảo", "Thủy", "Trang", "Trinh", "Tuyết", "Vân", "Xuân", "Yến", "Ngọc", "Trâm")

STREETS = ("Ấp Bắc", "Nam Kỳ Khởi Nghĩa", "Hùng Vương", "Lê Lợi", "Trưng Trắc", "Nguyễn Trãi",
           "Đinh Bộ Lĩnh", "Lý Thường Kiệt", "Rạch Gầm", "Trần Hưng Đạo", "Học Lạc",
           "Lê Đại Hành", "Thái Sanh Hạnh", "Nguyễn Huệ", "Yersin", "Lãnh Binh Cẩn",
           "Trịnh Hoài Đức", "Lê Thị Hồng Gấm", "Nguyễn Thị Thập", "Phan Thanh Giản")
#: (commune/ward, district/town); Mỹ Tho wards are the most common
PLACES = (
    ("Phường 1", "thành phố Mỹ Tho"), ("Phường 2", "thành phố Mỹ Tho"),
    ("Phường 4", "thành phố Mỹ Tho"), ("Phường 5", "thành phố Mỹ Tho"),
    ("Phường 6", "thành phố Mỹ Tho"), ("Phường 9", "thành phố Mỹ Tho"),
    ("Phường 10", "thành phố Mỹ Tho"), ("Phường Tân Long", "thành phố Mỹ Tho"),
    ("xã Đạo Thạnh", "thành phố Mỹ Tho"), ("xã Mỹ Phong", "thành phố Mỹ Tho"),
    ("xã Trung An", "thành phố Mỹ Tho"), ("xã Phước Thạnh", "thành phố Mỹ Tho"),
    ("Phường 2", "thị xã Gò Công"), ("xã Long Hưng", "thị xã Gò Công"),
    ("Phường 1", "thị xã Cai Lậy"), ("xã Mỹ Hạnh Trung", "thị xã Cai Lậy"),
    ("thị trấn Tân Hiệp", "huyện Châu Thành"), ("xã Long Định", "huyện Châu Thành"),
    ("thị trấn Chợ Gạo", "huyện Chợ Gạo"), ("xã Bình Phục Nhứt", "huyện Chợ Gạo"),
    ("thị trấn Cái Bè", "huyện Cái Bè"), ("xã An Hữu", "huyện Cái Bè"),
    ("thị trấn Mỹ Phước", "huyện Tân Phước"), ("thị trấn Vĩnh Bình", "huyện Gò Công Tây"),
    ("thị trấn Tân Hòa", "huyện Gò Công Đông"), ("xã Tân Thới", "huyện Tân Phú Đông"),
)
HAMLETS = ("ấp Bình Hòa", "ấp Mỹ Lợi", "ấp Tân Thuận", "ấp Phú Hòa", "ấp Long Thạnh",
           "ấp Hòa Lợi", "ấp Thạnh Hưng", "ấp An Phú")
PHONE_PREFIXES = ("090", "091", "093", "094", "096", "097", "098", "032", "033", "034", "035",
                  "036", "037", "038", "039", "070", "076", "077", "078", "079", "081", "083",
                  "084", "085", "086", "088", "089")
EMAIL_DOMAINS = ("gmail.com", "gmail.com", "gmail.com", "yahoo.com.vn", "outlook.com")
COMPANY_KINDS = ("Công ty TNHH", "Công ty TNHH MTV", "Công ty Cổ phần", "Doanh nghiệp tư nhân",
                 "Hợp tác xã")
COMPANY_TRADES = ("Thương mại Dịch vụ", "Thủy sản", "Nông sản", "Xây dựng", "Thực phẩm",
                  "Chế biến Trái cây", "Vận tải", "Dịch vụ Ăn uống")
COMPANY_NAMES = ("Phú Thịnh", "Mekong Xanh", "Tiền Giang Food", "Hưng Phát", "Thanh Bình",
                 "Vĩnh Kim", "Sông Tiền", "Cửu Long", "Tân Phước", "Hòa Khánh", "An Khang",
                 "Bến Tre Việt", "Trung An", "Thới Sơn")
SHOP_NAMES = ("Tạp hóa Tâm Phát", "Quán cơm Ba Thu", "Cà phê Sông Tiền", "Tiệm vàng Kim Phát",
              "Hủ tiếu Mỹ Tho Út Lan", "Cửa hàng điện thoại Minh Khang", "Vật liệu xây dựng Hưng")

NOTE_TEXTS = (
    "Đã liên hệ công dân qua điện thoại, hẹn bổ sung bản sao sổ hộ khẩu.",
    "Đã kiểm tra thực địa, hiện trạng phù hợp với hồ sơ.",
    "Chờ ý kiến phối hợp của UBND phường về nguồn gốc đất.",
    "Hồ sơ đầy đủ, đang soạn dự thảo kết quả.",
    "Đề nghị ưu tiên xử lý, công dân là người cao tuổi.",
    "Đã đối chiếu dữ liệu dân cư quốc gia, thông tin khớp.",
    "Cần xác minh lại diện tích thửa đất với bản đồ địa chính.",
    "Đã gửi văn bản lấy ý kiến phòng chuyên môn.",
)
MISSING_ITEMS = ("Bản sao Giấy chứng nhận quyền sử dụng đất", "Sơ đồ vị trí thửa đất",
                 "Giấy ủy quyền có chứng thực", "Bản vẽ mặt bằng công trình",
                 "Giấy xác nhận tình trạng hôn nhân", "Biên lai nộp lệ phí")
STOP_REASONS = ("Thửa đất đang có tranh chấp, chưa đủ điều kiện giải quyết.",
                "Cơ sở chưa đáp ứng điều kiện theo kết quả thẩm định thực tế.",
                "Hồ sơ không đủ điều kiện theo quy định hiện hành.")
REFUSE_REASONS = ("Thủ tục không thuộc thẩm quyền giải quyết của cơ quan.",
                  "Hồ sơ không đúng thành phần theo quy định, công dân đã được hướng dẫn.")
REWORK_COMMENTS = ("Đề nghị kiểm tra lại diện tích và ranh giới thửa đất.",
                   "Bổ sung căn cứ pháp lý trong dự thảo kết quả.",
                   "Làm rõ ý kiến của cơ quan phối hợp trước khi trình.")
PDF_TITLES = ("ĐƠN ĐĂNG KÝ", "TỜ KHAI", "BẢN SAO CĂN CƯỚC CÔNG DÂN", "SƠ ĐỒ THỬA ĐẤT",
              "GIẤY ỦY QUYỀN", "BẢN VẼ THIẾT KẾ", "HỢP ĐỒNG CHUYỂN NHƯỢNG", "GIẤY CHỨNG NHẬN")
