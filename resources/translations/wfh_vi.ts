<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi" sourcelanguage="en">
<context>
    <name>ClientApp</name>
    <message>
        <source>Sign in first: wfh-client login</source>
        <translation>Hãy đăng nhập trước: wfh-client login</translation>
    </message>
</context>
<context>
    <name>DossierTableModel</name>
    <message>
        <source>Code</source>
        <translation>Mã hồ sơ</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>Người nộp</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Ngày nhận</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Hẹn trả</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Thời gian còn lại</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Đồng bộ</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>All fields</source>
        <translation>Tất cả lĩnh vực</translation>
    </message>
    <message>
        <source>Search code, applicant, ID number, procedure, address…</source>
        <translation>Tìm mã hồ sơ, người nộp, số CCCD, thủ tục, địa chỉ…</translation>
    </message>
    <message>
        <source>Accents are optional: &quot;dang ky dat dai&quot; finds &quot;Đăng ký đất đai&quot;</source>
        <translation>Không cần gõ dấu: &quot;dang ky dat dai&quot; tìm được &quot;Đăng ký đất đai&quot;</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Tất cả trạng thái</translation>
    </message>
    <message>
        <source>Any deadline</source>
        <translation>Mọi thời hạn</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>Quá hạn</translation>
    </message>
    <message>
        <source>Due within 1 working day</source>
        <translation>Đến hạn trong 1 ngày làm việc</translation>
    </message>
    <message>
        <source>Due within 3 working days</source>
        <translation>Đến hạn trong 3 ngày làm việc</translation>
    </message>
    <message>
        <source>Unsent changes</source>
        <translation>Thay đổi chưa gửi</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Xung đột</translation>
    </message>
</context>
<context>
    <name>MainStatusBar</name>
    <message>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Ngoại tuyến</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Đang đồng bộ…</translation>
    </message>
    <message>
        <source>Shown: %1 / %2</source>
        <translation>Hiển thị: %1 / %2</translation>
    </message>
    <message>
        <source>Overdue: %1</source>
        <translation>Quá hạn: %1</translation>
    </message>
    <message>
        <source>Due soon: %1</source>
        <translation>Sắp đến hạn: %1</translation>
    </message>
    <message>
        <source>Unsent: %1</source>
        <translation>Chưa gửi: %1</translation>
    </message>
    <message>
        <source>Conflicts: %1</source>
        <translation>Xung đột: %1</translation>
    </message>
    <message>
        <source>Last sync: %1</source>
        <translation>Đồng bộ lần cuối: %1</translation>
    </message>
    <message>
        <source>Never synced</source>
        <translation>Chưa đồng bộ lần nào</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Signed out</source>
        <translation>Đã đăng xuất</translation>
    </message>
    <message>
        <source>This device or account was revoked; the local data was erased.</source>
        <translation>Thiết bị hoặc tài khoản này đã bị thu hồi; dữ liệu trên máy đã được xóa.</translation>
    </message>
    <message>
        <source>Sync failed: %1</source>
        <translation>Đồng bộ không thành công: %1</translation>
    </message>
    <message>
        <source>Still running</source>
        <translation>Ứng dụng vẫn đang chạy</translation>
    </message>
    <message>
        <source>The application keeps running in the system tray so recalls and sync continue. Use Quit to exit.</source>
        <translation>Ứng dụng tiếp tục chạy ở khay hệ thống để vẫn nhận lệnh triệu tập và đồng bộ. Chọn Thoát để đóng hẳn.</translation>
    </message>
    <message>
        <source>Dossiers - Work from home</source>
        <translation>Hồ sơ - Làm việc tại nhà</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Tệp</translation>
    </message>
    <message>
        <source>&amp;Dossier</source>
        <translation>&amp;Hồ sơ</translation>
    </message>
    <message>
        <source>&amp;Sync</source>
        <translation>Đồng &amp;bộ</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Xem</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Trợ &amp;giúp</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Cài đặt…</translation>
    </message>
    <message>
        <source>&amp;Close window</source>
        <translation>Đó&amp;ng cửa sổ</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>T&amp;hoát</translation>
    </message>
    <message>
        <source>&amp;Open dossier</source>
        <translation>&amp;Mở hồ sơ</translation>
    </message>
    <message>
        <source>&amp;Copy dossier code</source>
        <translation>&amp;Sao chép mã hồ sơ</translation>
    </message>
    <message>
        <source>Sync &amp;now</source>
        <translation>Đồng bộ &amp;ngay</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;Tìm kiếm…</translation>
    </message>
    <message>
        <source>C&amp;lear filters</source>
        <translation>&amp;Xóa bộ lọc</translation>
    </message>
    <message>
        <source>&amp;Refresh list</source>
        <translation>&amp;Làm mới danh sách</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Ngôn ngữ</translation>
    </message>
    <message>
        <source>&amp;Privacy</source>
        <translation>&amp;Quyền riêng tư</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>&amp;Giới thiệu</translation>
    </message>
    <message>
        <source>Privacy</source>
        <translation>Quyền riêng tư</translation>
    </message>
    <message>
        <source>This application records only your explicit check-ins, your answers to recalls and sync metadata. It takes no screenshots and records no keyboard or mouse activity, no location and no other applications.</source>
        <translation>Ứng dụng chỉ ghi nhận các lần xác nhận có mặt do bạn thực hiện, phản hồi của bạn với lệnh triệu tập và thông tin đồng bộ. Ứng dụng không chụp màn hình, không ghi lại thao tác bàn phím hay chuột, không theo dõi vị trí và không theo dõi các ứng dụng khác.</translation>
    </message>
    <message>
        <source>About</source>
        <translation>Giới thiệu</translation>
    </message>
    <message>
        <source>Work-from-home client for the one-stop shop.
Dossiers are kept in an encrypted local cache and synced with the one-stop-shop system.</source>
        <translation>Ứng dụng làm việc tại nhà cho bộ phận một cửa.
Hồ sơ được lưu trong bộ nhớ đệm mã hóa trên máy và đồng bộ với hệ thống một cửa điện tử.</translation>
    </message>
</context>
<context>
    <name>Remaining</name>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n ngày</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n giờ</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n phút</numerusform>
        </translation>
    </message>
    <message>
        <source>overdue %1</source>
        <translation>quá hạn %1</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <source>This value cannot be saved: %1</source>
        <translation>Không lưu được giá trị này: %1</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <source>Sync every</source>
        <translation>Đồng bộ mỗi</translation>
    </message>
    <message>
        <source>Download documents ahead up to</source>
        <translation>Tải trước tài liệu có dung lượng đến</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Địa chỉ máy chủ</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>giây</translation>
    </message>
    <message>
        <source>Managed by your organisation</source>
        <translation>Do tổ chức của bạn quản lý</translation>
    </message>
    <message>
        <source>Set by the machine policy: %1</source>
        <translation>Được đặt bởi chính sách của máy: %1</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>Submitted</source>
        <translation>Mới đăng ký</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Được tiếp nhận</translation>
    </message>
    <message>
        <source>Refused at intake</source>
        <translation>Không được tiếp nhận</translation>
    </message>
    <message>
        <source>Processing</source>
        <translation>Đang xử lý</translation>
    </message>
    <message>
        <source>Awaiting documents</source>
        <translation>Yêu cầu bổ sung giấy tờ</translation>
    </message>
    <message>
        <source>Awaiting fees</source>
        <translation>Yêu cầu thực hiện nghĩa vụ tài chính</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>Công dân yêu cầu rút hồ sơ</translation>
    </message>
    <message>
        <source>Processing stopped</source>
        <translation>Dừng xử lý</translation>
    </message>
    <message>
        <source>Result ready</source>
        <translation>Đã xử lý xong</translation>
    </message>
    <message>
        <source>Result returned</source>
        <translation>Đã trả kết quả</translation>
    </message>
</context>
<context>
    <name>SyncState</name>
    <message>
        <source>Synced</source>
        <translation>Đã đồng bộ</translation>
    </message>
    <message>
        <source>Waiting to sync</source>
        <translation>Chờ đồng bộ</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>Xung đột</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Bị từ chối</translation>
    </message>
</context>
<context>
    <name>TrayController</name>
    <message>
        <source>Work from home - one-stop shop</source>
        <translation>Làm việc tại nhà - Một cửa</translation>
    </message>
    <message>
        <source>Show window</source>
        <translation>Hiện cửa sổ</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Đồng bộ ngay</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Thoát</translation>
    </message>
</context>
</TS>
