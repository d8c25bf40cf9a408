<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi" sourcelanguage="en">
<context>
    <name>About</name>
    <message>
        <source>development build</source>
        <translation>bản phát triển</translation>
    </message>
    <message>
        <source>Work from home — one-stop shop</source>
        <translation>Làm việc tại nhà — Bộ phận Một cửa</translation>
    </message>
    <message>
        <source>Version %1 (build %2)</source>
        <translation>Phiên bản %1 (bản dựng %2)</translation>
    </message>
    <message>
        <source>Dossiers are kept in an encrypted local cache and synced with the one-stop-shop system.</source>
        <translation>Hồ sơ được lưu mã hóa trên máy này và đồng bộ với hệ thống một cửa điện tử.</translation>
    </message>
    <message>
        <source>IT support: %1</source>
        <translation>Hỗ trợ CNTT: %1</translation>
    </message>
    <message>
        <source>IT support: ask your department&apos;s IT staff (your organisation has not set a contact).</source>
        <translation>Hỗ trợ CNTT: hãy hỏi cán bộ CNTT của đơn vị (đơn vị chưa cài đặt thông tin liên hệ).</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <source>About</source>
        <translation>Giới thiệu</translation>
    </message>
</context>
<context>
    <name>Action</name>
    <message>
        <source>Add note</source>
        <translation>Thêm ghi chú</translation>
    </message>
    <message>
        <source>Assign to an officer</source>
        <translation>Phân công cán bộ xử lý</translation>
    </message>
    <message>
        <source>Start review</source>
        <translation>Bắt đầu thẩm định</translation>
    </message>
    <message>
        <source>Request documents</source>
        <translation>Yêu cầu bổ sung hồ sơ</translation>
    </message>
    <message>
        <source>Documents received</source>
        <translation>Đã nhận hồ sơ bổ sung</translation>
    </message>
    <message>
        <source>Submit for approval</source>
        <translation>Trình ký</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Phê duyệt</translation>
    </message>
    <message>
        <source>Return for rework</source>
        <translation>Trả lại để xử lý lại</translation>
    </message>
    <message>
        <source>Refuse at intake</source>
        <translation>Từ chối tiếp nhận</translation>
    </message>
    <message>
        <source>Stop processing</source>
        <translation>Dừng xử lý</translation>
    </message>
    <message>
        <source>Apologise and set a new date</source>
        <translation>Xin lỗi và hẹn lại ngày trả</translation>
    </message>
    <message>
        <source>Record the result returned</source>
        <translation>Ghi nhận đã trả kết quả</translation>
    </message>
    <message>
        <source>Attach result document</source>
        <translation>Đính kèm văn bản kết quả</translation>
    </message>
</context>
<context>
    <name>ActionDialog</name>
    <message>
        <source>Record</source>
        <translation>Ghi nhận</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>The action could not be recorded: %1</source>
        <translation>Không ghi nhận được thao tác: %1</translation>
    </message>
</context>
<context>
    <name>ActionRule</name>
    <message>
        <source>Notes can be added to any dossier that has not been withdrawn.</source>
        <translation>Có thể thêm ghi chú vào mọi hồ sơ chưa bị rút.</translation>
    </message>
    <message>
        <source>Assigning is possible while the dossier is accepted, being processed or awaiting documents, and not submitted for approval.</source>
        <translation>Chỉ phân công được khi hồ sơ đã tiếp nhận, đang xử lý hoặc đang chờ bổ sung, và chưa trình ký.</translation>
    </message>
    <message>
        <source>Review starts once the dossier is assigned to an officer (or returned for rework).</source>
        <translation>Chỉ bắt đầu thẩm định được khi hồ sơ đã được phân công cho cán bộ (hoặc bị trả lại để xử lý lại).</translation>
    </message>
    <message>
        <source>Documents can be requested while the dossier is being processed and not yet submitted for approval.</source>
        <translation>Chỉ yêu cầu bổ sung hồ sơ được khi hồ sơ đang xử lý và chưa trình ký.</translation>
    </message>
    <message>
        <source>Possible only while the dossier waits for the applicant&apos;s documents.</source>
        <translation>Chỉ thực hiện được khi hồ sơ đang chờ công dân bổ sung.</translation>
    </message>
    <message>
        <source>Start the review first (or rework a returned dossier), then submit it for approval.</source>
        <translation>Cần bắt đầu thẩm định trước (hoặc xử lý lại hồ sơ bị trả lại), sau đó mới trình ký.</translation>
    </message>
    <message>
        <source>Possible once the officer has submitted the dossier for approval.</source>
        <translation>Chỉ thực hiện được sau khi cán bộ đã trình ký hồ sơ.</translation>
    </message>
    <message>
        <source>Refusal at intake is possible only before processing starts.</source>
        <translation>Chỉ từ chối tiếp nhận được trước khi hồ sơ bắt đầu được xử lý.</translation>
    </message>
    <message>
        <source>Processing can be stopped while the dossier is being processed or awaiting documents.</source>
        <translation>Chỉ dừng xử lý được khi hồ sơ đang xử lý hoặc đang chờ bổ sung.</translation>
    </message>
    <message>
        <source>An apology is possible while the dossier is accepted, being processed or awaiting documents, at least one working day before the due date.</source>
        <translation>Chỉ xin lỗi và hẹn lại được khi hồ sơ đã tiếp nhận, đang xử lý hoặc đang chờ bổ sung, và chậm nhất một ngày làm việc trước ngày hẹn trả.</translation>
    </message>
    <message>
        <source>Possible once the result is ready (approved).</source>
        <translation>Chỉ thực hiện được khi đã có kết quả (đã phê duyệt).</translation>
    </message>
</context>
<context>
    <name>Alerts</name>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>%1 new dossiers: %2</source>
        <translation>%1 hồ sơ mới: %2</translation>
    </message>
    <message>
        <source>New dossier assigned</source>
        <translation>Hồ sơ mới được giao</translation>
    </message>
    <message>
        <source>%1 is due %2</source>
        <translation>%1 đến hạn lúc %2</translation>
    </message>
    <message>
        <source>%1 dossiers: %2</source>
        <translation>%1 hồ sơ: %2</translation>
    </message>
    <message>
        <source>Due within a working day</source>
        <translation>Đến hạn trong vòng một ngày làm việc</translation>
    </message>
    <message>
        <source>Sync is not working</source>
        <translation>Đồng bộ không hoạt động</translation>
    </message>
    <message>
        <source>Nothing could be synced for %1 minutes. %2</source>
        <translation>Đã %1 phút không đồng bộ được. %2</translation>
    </message>
</context>
<context>
    <name>ApologyDialog</name>
    <message>
        <source>Why the result will be late, as the applicant will read it</source>
        <translation>Lý do trả kết quả chậm (người nộp sẽ đọc nội dung này)</translation>
    </message>
    <message>
        <source>New appointment:</source>
        <translation>Ngày hẹn mới:</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>Lý do:</translation>
    </message>
    <message>
        <source>A new appointment date may be set only once; it must be later than the current due date, and the apology must be made at least one working day before that date.</source>
        <translation>Chỉ được hẹn lại một lần; ngày hẹn mới phải sau ngày hẹn hiện tại, và phải xin lỗi chậm nhất một ngày làm việc trước ngày hẹn đó.</translation>
    </message>
    <message>
        <source>Current due date: %1</source>
        <translation>Ngày hẹn hiện tại: %1</translation>
    </message>
    <message>
        <source>It is too late: less than one working day is left.</source>
        <translation>Đã quá muộn: còn chưa đến một ngày làm việc.</translation>
    </message>
    <message>
        <source>Make the apology by: %1</source>
        <translation>Phải xin lỗi trước: %1</translation>
    </message>
    <message>
        <source>%1 of working time later</source>
        <translation>muộn hơn %1 làm việc</translation>
    </message>
</context>
<context>
    <name>Applicant</name>
    <message>
        <source>Citizen</source>
        <translation>Công dân</translation>
    </message>
    <message>
        <source>Business</source>
        <translation>Doanh nghiệp</translation>
    </message>
    <message>
        <source>Agency</source>
        <translation>Cơ quan, tổ chức</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Khác</translation>
    </message>
</context>
<context>
    <name>ApprovalsPage</name>
    <message>
        <source>Proposal</source>
        <translation>Đề xuất</translation>
    </message>
    <message>
        <source>Proposed result:</source>
        <translation>Kết quả đề xuất:</translation>
    </message>
    <message>
        <source>&amp;Open dossier</source>
        <translation>&amp;Mở hồ sơ</translation>
    </message>
    <message>
        <source>A&amp;pprove…</source>
        <translation>&amp;Phê duyệt…</translation>
    </message>
    <message>
        <source>Return for &amp;rework…</source>
        <translation>T&amp;rả lại để xử lý lại…</translation>
    </message>
    <message numerus="yes">
        <source>%n proposal(s) waiting for your approval</source>
        <translation>
            <numerusform>%n hồ sơ đang chờ anh/chị phê duyệt</numerusform>
        </translation>
    </message>
    <message>
        <source>No proposal is waiting for approval.</source>
        <translation>Không có hồ sơ nào đang chờ phê duyệt.</translation>
    </message>
    <message>
        <source>Proposed decision: %1</source>
        <translation>Đề xuất: %1</translation>
    </message>
    <message>
        <source>Officer: %1</source>
        <translation>Cán bộ: %1</translation>
    </message>
    <message>
        <source>Submitted: %1</source>
        <translation>Trình lúc: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n result document(s) attached</source>
        <translation>
            <numerusform>%n tệp kết quả đính kèm</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ApproveDialog</name>
    <message>
        <source>Approve the officer&apos;s proposal to REFUSE: processing stops.</source>
        <translation>Phê duyệt đề xuất TỪ CHỐI của cán bộ: hồ sơ dừng xử lý.</translation>
    </message>
    <message>
        <source>Approve the officer&apos;s proposed result: the result is ready.</source>
        <translation>Phê duyệt kết quả cán bộ đề xuất: hồ sơ đã xử lý xong.</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <source>Officer:</source>
        <translation>Cán bộ:</translation>
    </message>
    <message>
        <source>Loading the department&apos;s officers…</source>
        <translation>Đang tải danh sách cán bộ của đơn vị…</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— chọn —</translation>
    </message>
    <message>
        <source>From the names in the local cache (offline).</source>
        <translation>Theo danh sách có sẵn trên máy (ngoại tuyến).</translation>
    </message>
    <message>
        <source>From the department directory.</source>
        <translation>Theo danh bạ của đơn vị.</translation>
    </message>
</context>
<context>
    <name>BoardPage</name>
    <message>
        <source>Open</source>
        <translation>Đang xử lý</translation>
    </message>
    <message>
        <source>Due today</source>
        <translation>Đến hạn hôm nay</translation>
    </message>
    <message>
        <source>Due within 3 working days</source>
        <translation>Đến hạn trong 3 ngày làm việc</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>Quá hạn</translation>
    </message>
    <message>
        <source>Need an apology slip</source>
        <translation>Cần phiếu xin lỗi (Mẫu 04)</translation>
    </message>
    <message>
        <source>Waiting for an officer</source>
        <translation>Chờ phân công</translation>
    </message>
    <message>
        <source>Waiting for approval</source>
        <translation>Chờ duyệt</translation>
    </message>
    <message>
        <source>Waiting for documents</source>
        <translation>Yêu cầu bổ sung hồ sơ</translation>
    </message>
    <message>
        <source>Deadlines (working time)</source>
        <translation>Thời hạn (tính theo ngày làm việc)</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Đang chờ</translation>
    </message>
    <message>
        <source>By status</source>
        <translation>Theo trạng thái</translation>
    </message>
    <message>
        <source>Click a count to list its dossiers.</source>
        <translation>Bấm vào một con số để xem danh sách hồ sơ.</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n dossier(s)</source>
        <translation>
            <numerusform>%1: %n hồ sơ</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BulkAssignDialog</name>
    <message>
        <source>Loading the officers&apos; workload…</source>
        <translation>Đang tải khối lượng công việc của cán bộ…</translation>
    </message>
    <message numerus="yes">
        <source>Assign %n dossier(s)</source>
        <translation>
            <numerusform>Phân công %n hồ sơ</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Choose the officer for %n dossier(s): %1</source>
        <translation>
            <numerusform>Chọn cán bộ xử lý %n hồ sơ: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>Phân công</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Live workload from the server (%1).</source>
        <translation>Số liệu trực tiếp từ máy chủ (%1).</translation>
    </message>
    <message>
        <source>Live workload from the server.</source>
        <translation>Số liệu trực tiếp từ máy chủ.</translation>
    </message>
    <message>
        <source>Offline: workload counted from the dossiers on this computer; leave and check-ins are unknown.</source>
        <translation>Ngoại tuyến: khối lượng tính từ hồ sơ trên máy này; chưa rõ nghỉ phép và điểm danh.</translation>
    </message>
    <message>
        <source>The officers could not be read: %1</source>
        <translation>Không đọc được danh sách cán bộ: %1</translation>
    </message>
    <message>
        <source>%1 is on leave now.</source>
        <translation>%1 đang nghỉ phép.</translation>
    </message>
    <message numerus="yes">
        <source>%n dossier(s) could not be assigned</source>
        <translation>
            <numerusform>%n hồ sơ chưa phân công được</numerusform>
        </translation>
    </message>
    <message>
        <source>The assignment could not be recorded: %1</source>
        <translation>Không ghi nhận được việc phân công: %1</translation>
    </message>
</context>
<context>
    <name>CacheRecovery</name>
    <message>
        <source>its key is no longer in the system&apos;s password store</source>
        <translation>khóa của dữ liệu không còn trong kho mật khẩu của hệ thống</translation>
    </message>
    <message>
        <source>the key in the system&apos;s password store does not open it</source>
        <translation>khóa trong kho mật khẩu của hệ thống không mở được dữ liệu</translation>
    </message>
    <message>
        <source>it is not encrypted, which your organisation does not allow</source>
        <translation>dữ liệu không được mã hóa, điều mà cơ quan không cho phép</translation>
    </message>
    <message>
        <source>the file is damaged</source>
        <translation>tệp dữ liệu bị hỏng</translation>
    </message>
    <message>
        <source>The data kept on this computer could not be opened (%1). It was moved aside, not deleted, to:
%2
A fresh copy is downloaded from the server.</source>
        <translation>Không mở được dữ liệu lưu trên máy tính này (%1). Dữ liệu cũ đã được chuyển sang chỗ khác, không bị xóa:
%2
Ứng dụng đang tải lại dữ liệu mới từ máy chủ.</translation>
    </message>
    <message>
        <source>How many unsent changes it held cannot be told without its key, and they cannot be sent. Tell your IT staff if you made changes offline recently.</source>
        <translation>Không xác định được dữ liệu cũ có bao nhiêu thay đổi chưa gửi khi không có khóa, và các thay đổi đó không thể gửi đi. Nếu gần đây anh/chị có làm việc khi mất mạng, hãy báo cho bộ phận công nghệ thông tin.</translation>
    </message>
    <message>
        <source>It held no unsent changes: nothing is lost.</source>
        <translation>Dữ liệu cũ không có thay đổi nào chưa gửi: không mất gì.</translation>
    </message>
    <message>
        <source>It held %1 unsent changes: %2 were recovered and will be sent, %3 could not be read.</source>
        <translation>Dữ liệu cũ có %1 thay đổi chưa gửi: %2 thay đổi đã được khôi phục và sẽ được gửi, %3 thay đổi không đọc được.</translation>
    </message>
    <message>
        <source>Local data cannot be opened</source>
        <translation>Không mở được dữ liệu trên máy</translation>
    </message>
    <message>
        <source>The data kept on this computer cannot be opened: %1.

It can be moved aside (it is kept, not deleted) and downloaded again from the server; changes that were not sent yet cannot be read without its key. If the password store was just reset or belongs to another session, quit, fix it and start the app again.</source>
        <translation>Không mở được dữ liệu lưu trên máy tính này: %1.

Có thể chuyển dữ liệu cũ sang chỗ khác (vẫn được giữ lại, không bị xóa) và tải lại từ máy chủ; các thay đổi chưa gửi trong đó không đọc được nếu không có khóa. Nếu kho mật khẩu vừa được đặt lại hoặc thuộc phiên làm việc khác, hãy thoát, khắc phục rồi mở lại ứng dụng.</translation>
    </message>
    <message>
        <source>Move aside and download again</source>
        <translation>Chuyển dữ liệu cũ sang chỗ khác và tải lại</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Thoát</translation>
    </message>
    <message>
        <source>No unsent changes were lost.</source>
        <translation>Không có thay đổi chưa gửi nào bị mất.</translation>
    </message>
    <message>
        <source>%1 changes made on this computer had not been sent yet; they were erased with it.</source>
        <translation>%1 thay đổi làm trên máy này chưa được gửi lên máy chủ; chúng đã bị xóa cùng dữ liệu.</translation>
    </message>
</context>
<context>
    <name>Channel</name>
    <message>
        <source>At the counter</source>
        <translation>Tại Bộ phận Một cửa</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <source>By post</source>
        <translation>Qua bưu chính</translation>
    </message>
</context>
<context>
    <name>CheckInPrompt</name>
    <message>
        <source>Checked in at %1: %2.</source>
        <translation>Đã điểm danh lúc %1: %2.</translation>
    </message>
    <message>
        <source>You are offline: the check-in is queued and counts at the time you made it once it is sent.</source>
        <translation>Bạn đang mất kết nối: lần điểm danh được xếp hàng chờ gửi và được tính theo thời điểm bạn bấm khi gửi được.</translation>
    </message>
    <message>
        <source>The queued check-in has been sent.</source>
        <translation>Lần điểm danh đang chờ đã được gửi.</translation>
    </message>
    <message>
        <source>Say briefly why you are away (for example: picking up my child, back at 10:30).</source>
        <translation>Hãy ghi ngắn gọn lý do vắng mặt (ví dụ: đi đón con, 10:30 về).</translation>
    </message>
    <message>
        <source>Check-in</source>
        <translation>Điểm danh</translation>
    </message>
    <message>
        <source>Missed check-in %1</source>
        <translation>Bỏ lỡ điểm danh %1</translation>
    </message>
    <message>
        <source>This window closed without a check-in and counts as missed. You can still say where you are now.</source>
        <translation>Khung giờ này đã đóng mà chưa có điểm danh nên được tính là bỏ lỡ. Bạn vẫn có thể báo tình trạng hiện tại.</translation>
    </message>
    <message>
        <source>Reminder: check in before %1</source>
        <translation>Nhắc nhở: điểm danh trước %1</translation>
    </message>
    <message>
        <source>The check-in window %1 closes soon.</source>
        <translation>Khung giờ điểm danh %1 sắp đóng.</translation>
    </message>
    <message>
        <source>Thank you</source>
        <translation>Cảm ơn bạn</translation>
    </message>
    <message>
        <source>Your department sees your check-in and its time, nothing else.</source>
        <translation>Đơn vị chỉ thấy lần điểm danh và thời điểm của nó, không gì khác.</translation>
    </message>
    <message>
        <source>Check-in %1</source>
        <translation>Điểm danh %1</translation>
    </message>
    <message>
        <source>Check in now</source>
        <translation>Điểm danh ngay</translation>
    </message>
    <message>
        <source>Are you at work? Confirm before %1.</source>
        <translation>Bạn đang làm việc chứ? Hãy xác nhận trước %1.</translation>
    </message>
    <message>
        <source>Tell your department you are available.</source>
        <translation>Báo cho đơn vị biết bạn đang sẵn sàng.</translation>
    </message>
    <message>
        <source>I am working</source>
        <translation>Tôi đang làm việc</translation>
    </message>
    <message>
        <source>One click: you are at your desk and available</source>
        <translation>Một cú bấm: bạn đang ở bàn làm việc và sẵn sàng</translation>
    </message>
    <message>
        <source>In a &amp;meeting</source>
        <translation>Đang &amp;họp</translation>
    </message>
    <message>
        <source>Briefly &amp;away</source>
        <translation>&amp;Vắng mặt ngắn</translation>
    </message>
    <message>
        <source>&amp;Reason (required when briefly away):</source>
        <translation>&amp;Lý do (bắt buộc khi vắng mặt ngắn):</translation>
    </message>
    <message>
        <source>e.g. at the post office, back at 10:30</source>
        <translation>ví dụ: ra bưu điện, 10:30 về</translation>
    </message>
    <message>
        <source>Today&apos;s check-ins…</source>
        <translation>Điểm danh hôm nay…</translation>
    </message>
    <message>
        <source>&amp;Later</source>
        <translation>Để &amp;sau</translation>
    </message>
</context>
<context>
    <name>ConflictsView</name>
    <message>
        <source>Local changes</source>
        <translation>Thay đổi trên máy</translation>
    </message>
    <message>
        <source>Your local copy and the server&apos;s copy differ.</source>
        <translation>Bản trên máy của bạn và bản của máy chủ khác nhau.</translation>
    </message>
    <message>
        <source>Your change “%1” was made on version %2, but the server now has version %3.</source>
        <translation>Thay đổi “%1” của bạn được làm trên phiên bản %2, nhưng máy chủ nay đã có phiên bản %3.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Bước xử lý</translation>
    </message>
    <message>
        <source>Due date</source>
        <translation>Hạn xử lý</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Người xử lý</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Phiên bản</translation>
    </message>
    <message>
        <source>Latest history</source>
        <translation>Quá trình xử lý gần nhất</translation>
    </message>
    <message>
        <source>(yours, not sent yet)</source>
        <translation>(của bạn, chưa gửi)</translation>
    </message>
    <message>
        <source>No notes.</source>
        <translation>Không có ghi chú.</translation>
    </message>
    <message>
        <source>(dossier no longer on this computer)</source>
        <translation>(hồ sơ không còn trên máy này)</translation>
    </message>
    <message>
        <source>Invalid</source>
        <translation>Không hợp lệ</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Bị từ chối</translation>
    </message>
    <message>
        <source>%1 changes put away. They stay in the export.</source>
        <translation>Đã ẩn %1 thay đổi. Chúng vẫn có trong tệp xuất.</translation>
    </message>
    <message>
        <source>Export rejected changes</source>
        <translation>Xuất các thay đổi bị từ chối</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>Tệp JSON (*.json)</translation>
    </message>
    <message>
        <source>The file could not be written: %1</source>
        <translation>Không ghi được tệp: %1</translation>
    </message>
    <message>
        <source>%1 changes exported to %2</source>
        <translation>Đã xuất %1 thay đổi vào %2</translation>
    </message>
    <message>
        <source>Conflicts (%1)</source>
        <translation>Xung đột (%1)</translation>
    </message>
    <message>
        <source>Rejected changes (%1)</source>
        <translation>Thay đổi bị từ chối (%1)</translation>
    </message>
    <message>
        <source>Conflicts and rejected changes</source>
        <translation>Xung đột và thay đổi bị từ chối</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Lĩnh vực</translation>
    </message>
    <message>
        <source>Your version</source>
        <translation>Bản của bạn</translation>
    </message>
    <message>
        <source>Server&apos;s version</source>
        <translation>Bản của máy chủ</translation>
    </message>
    <message>
        <source>Dossier</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Nội dung xử lý</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Thời điểm</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>Notes never conflict: the notes of both sides are kept (merged).</source>
        <translation>Ghi chú không bao giờ xung đột: ghi chú của cả hai bên đều được giữ (gộp lại).</translation>
    </message>
    <message>
        <source>&amp;Keep mine (send again)</source>
        <translation>&amp;Giữ bản của tôi (gửi lại)</translation>
    </message>
    <message>
        <source>&amp;Take the server&apos;s version</source>
        <translation>&amp;Lấy bản của máy chủ</translation>
    </message>
    <message>
        <source>Send your change again on top of the server&apos;s version</source>
        <translation>Gửi lại thay đổi của bạn trên bản mới của máy chủ</translation>
    </message>
    <message>
        <source>Discard your change and keep the server&apos;s version; it stays listed as rejected</source>
        <translation>Bỏ thay đổi của bạn và giữ bản của máy chủ; thay đổi vẫn được liệt kê là bị từ chối</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Xuất…</translation>
    </message>
    <message>
        <source>&amp;Dismiss the selected</source>
        <translation>Đã &amp;xem, ẩn các dòng đã chọn</translation>
    </message>
    <message>
        <source>You have read them: they leave this list and the warnings, and stay in the export</source>
        <translation>Anh/chị đã đọc: các dòng này rời khỏi danh sách và cảnh báo, nhưng vẫn có trong tệp xuất</translation>
    </message>
    <message>
        <source>No conflicts: everything you changed agrees with the server.</source>
        <translation>Không có xung đột: mọi thay đổi của bạn đều khớp với máy chủ.</translation>
    </message>
    <message>
        <source>Changes the server will never accept. They are kept here so nothing is lost silently; export them to redo them another way.</source>
        <translation>Các thay đổi mà máy chủ sẽ không bao giờ chấp nhận. Chúng được giữ ở đây để không mất gì một cách âm thầm; hãy xuất ra để làm lại theo cách khác.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>Deadline</name>
    <message>
        <source>clock stopped since %1 (awaiting documents); %2 were left</source>
        <translation>tạm dừng tính thời gian từ %1 (chờ bổ sung); khi đó còn %2</translation>
    </message>
    <message>
        <source>finished %1 (%2)</source>
        <translation>kết thúc %1 (%2)</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>còn %1</translation>
    </message>
</context>
<context>
    <name>DepartmentMenu</name>
    <message>
        <source>De&amp;partment</source>
        <translation>&amp;Phòng</translation>
    </message>
    <message>
        <source>&amp;Queue to assign…</source>
        <translation>Hồ sơ &amp;chờ phân công…</translation>
    </message>
    <message>
        <source>&amp;Approvals…</source>
        <translation>Chờ phê &amp;duyệt…</translation>
    </message>
    <message>
        <source>Department &amp;board…</source>
        <translation>&amp;Bảng theo dõi của phòng…</translation>
    </message>
    <message>
        <source>&amp;Reports…</source>
        <translation>Báo &amp;cáo…</translation>
    </message>
</context>
<context>
    <name>DepartmentWindow</name>
    <message>
        <source>Department</source>
        <extracomment>Chosen not to clash with the main window (F5, Ctrl+N/D/O/R/Q, Ctrl+Shift+letters, Ctrl+P).</extracomment>
        <translation>Phòng</translation>
    </message>
    <message>
        <source>Queue to assign</source>
        <translation>Chờ phân công</translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation>Chờ phê duyệt</translation>
    </message>
    <message>
        <source>Board</source>
        <translation>Bảng theo dõi</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Báo cáo</translation>
    </message>
</context>
<context>
    <name>DocumentState</name>
    <message>
        <source>Not downloaded</source>
        <translation>Chưa tải về</translation>
    </message>
    <message>
        <source>Partly downloaded</source>
        <translation>Đã tải một phần</translation>
    </message>
    <message>
        <source>Downloaded</source>
        <translation>Đã tải về</translation>
    </message>
    <message>
        <source>Download failed</source>
        <translation>Tải về lỗi</translation>
    </message>
    <message>
        <source>Waiting to sync</source>
        <translation>Đang chờ đồng bộ</translation>
    </message>
</context>
<context>
    <name>DocumentsPanel</name>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Dung lượng</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Tiến độ</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Tải về</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Đang xử lý</translation>
    </message>
    <message>
        <source>Save a copy…</source>
        <translation>Lưu một bản sao…</translation>
    </message>
    <message>
        <source>Attach result…</source>
        <translation>Đính kèm kết quả…</translation>
    </message>
    <message>
        <source>(result)</source>
        <translation>(kết quả)</translation>
    </message>
    <message>
        <source>Downloading %1…</source>
        <translation>Đang tải %1…</translation>
    </message>
    <message>
        <source>The download failed: %1</source>
        <translation>Tải về không thành công: %1</translation>
    </message>
    <message>
        <source>No program on this computer can open %1. Ask your IT staff to install a viewer for this kind of file.</source>
        <translation>Không có chương trình nào trên máy này mở được %1. Hãy nhờ cán bộ CNTT cài chương trình xem loại tệp này.</translation>
    </message>
    <message>
        <source>The document cannot be opened: %1</source>
        <translation>Không mở được tài liệu: %1</translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation>Đã lưu vào %1</translation>
    </message>
    <message>
        <source>The copy cannot be saved: %1</source>
        <translation>Không lưu được bản sao: %1</translation>
    </message>
    <message>
        <source>Attach a result document</source>
        <translation>Đính kèm văn bản kết quả</translation>
    </message>
    <message>
        <source>%1 is larger than %2 MB, the most the server accepts.</source>
        <translation>%1 lớn hơn %2 MB, mức tối đa máy chủ nhận.</translation>
    </message>
    <message>
        <source>%1 will be uploaded at the next sync.</source>
        <translation>%1 sẽ được tải lên ở lần đồng bộ tới.</translation>
    </message>
    <message>
        <source>The file cannot be attached: %1</source>
        <translation>Không đính kèm được tệp: %1</translation>
    </message>
</context>
<context>
    <name>DocumentsReceivedDialog</name>
    <message>
        <source>The applicant has supplied all the requested documents. The processing time restarts from zero.</source>
        <translation>Người nộp đã bổ sung đủ giấy tờ được yêu cầu. Thời hạn giải quyết được tính lại từ đầu.</translation>
    </message>
    <message>
        <source>New appointment date: %1</source>
        <translation>Ngày hẹn trả mới: %1</translation>
    </message>
</context>
<context>
    <name>DossierListView</name>
    <message>
        <source>No dossiers found — &lt;a href=&quot;clear&quot;&gt;Clear the filters&lt;/a&gt;</source>
        <translation>Không tìm thấy hồ sơ nào — &lt;a href=&quot;clear&quot;&gt;Xóa bộ lọc&lt;/a&gt;</translation>
    </message>
    <message>
        <source>No dossiers in progress — &lt;a href=&quot;all&quot;&gt;Show all dossiers&lt;/a&gt; or &lt;a href=&quot;sync&quot;&gt;sync now&lt;/a&gt; (F5)</source>
        <translation>Không có hồ sơ nào đang giải quyết — &lt;a href=&quot;all&quot;&gt;Xem tất cả hồ sơ&lt;/a&gt; hoặc &lt;a href=&quot;sync&quot;&gt;đồng bộ ngay&lt;/a&gt; (F5)</translation>
    </message>
    <message>
        <source>No dossiers on this computer yet — &lt;a href=&quot;sync&quot;&gt;Sync now&lt;/a&gt; (F5)</source>
        <translation>Máy này chưa có hồ sơ nào — &lt;a href=&quot;sync&quot;&gt;Đồng bộ ngay&lt;/a&gt; (F5)</translation>
    </message>
</context>
<context>
    <name>DossierTableModel</name>
    <message>
        <source>paused</source>
        <translation>tạm dừng</translation>
    </message>
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
        <translation>Ngày tiếp nhận</translation>
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
        <source>Step</source>
        <translation>Bước xử lý</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Đồng bộ</translation>
    </message>
    <message>
        <source>Changed by someone else since you last opened it</source>
        <translation>Có thay đổi của người khác từ lần anh/chị mở gần nhất</translation>
    </message>
</context>
<context>
    <name>DossierWindow</name>
    <message>
        <source>&amp;Dossier</source>
        <translation>&amp;Hồ sơ</translation>
    </message>
    <message>
        <source>&amp;Print</source>
        <translation>&amp;In</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <source>Print the process-control slip…</source>
        <translation>In phiếu kiểm soát quá trình…</translation>
    </message>
    <message>
        <source>Export the process-control slip to PDF…</source>
        <translation>Xuất phiếu kiểm soát quá trình ra PDF…</translation>
    </message>
    <message>
        <source>Print the apology slip…</source>
        <translation>In phiếu xin lỗi và hẹn lại…</translation>
    </message>
    <message>
        <source>Export the apology slip to PDF…</source>
        <translation>Xuất phiếu xin lỗi và hẹn lại ra PDF…</translation>
    </message>
    <message>
        <source>Print the request for documents (Form 02)…</source>
        <translation>In phiếu yêu cầu bổ sung hồ sơ (Mẫu 02)…</translation>
    </message>
    <message>
        <source>Export the request for documents (Form 02) to PDF…</source>
        <translation>Xuất phiếu yêu cầu bổ sung hồ sơ (Mẫu 02) ra PDF…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Tổng quan</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Tài liệu</translation>
    </message>
    <message>
        <source>Process-control slip</source>
        <translation>Phiếu kiểm soát</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Show the rejected changes…</source>
        <translation>Xem các thay đổi bị từ chối…</translation>
    </message>
    <message>
        <source>The dossier cannot be read: %1</source>
        <translation>Không đọc được hồ sơ: %1</translation>
    </message>
    <message>
        <source>This dossier is no longer yours: it was reassigned to another officer or withdrawn, and it has left your list.</source>
        <translation>Hồ sơ này không còn là của anh/chị: đã được phân công cho cán bộ khác hoặc đã bị rút, và đã rời khỏi danh sách của anh/chị.</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) you made were not sent; they are kept under rejected changes.</source>
        <translation>
            <numerusform>%n thay đổi anh/chị đã thực hiện chưa được gửi; chúng được giữ lại trong mục thay đổi bị từ chối.</numerusform>
        </translation>
    </message>
    <message>
        <source>This dossier has just been reassigned to another officer. It leaves your list at the next sync; changes not sent yet will be kept under rejected changes.</source>
        <translation>Hồ sơ này vừa được phân công cho cán bộ khác. Hồ sơ sẽ rời khỏi danh sách ở lần đồng bộ tới; các thay đổi chưa gửi được giữ lại trong mục thay đổi bị từ chối.</translation>
    </message>
    <message>
        <source>Apology slip</source>
        <translation>Phiếu xin lỗi</translation>
    </message>
    <message>
        <source>Request for documents</source>
        <translation>Phiếu yêu cầu bổ sung</translation>
    </message>
    <message>
        <source>Export to PDF</source>
        <translation>Xuất ra PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Tệp PDF (*.pdf)</translation>
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
        <source>%1 statuses</source>
        <translation>%1 trạng thái</translation>
    </message>
    <message>
        <source>Show dossiers of any status; tick several to combine</source>
        <translation>Hiện hồ sơ ở mọi trạng thái; đánh dấu nhiều trạng thái để kết hợp</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>Đang giải quyết</translation>
    </message>
    <message>
        <source>To do</source>
        <translation>Việc cần làm</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Đã kết thúc</translation>
    </message>
    <message>
        <source>All dossiers</source>
        <translation>Tất cả hồ sơ</translation>
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
        <source>In progress: dossiers not closed yet. To do: the ones waiting for you. Closed: finished, refused or withdrawn.</source>
        <translation>Đang giải quyết: hồ sơ chưa kết thúc. Việc cần làm: hồ sơ đang chờ anh/chị. Đã kết thúc: đã xong, bị từ chối hoặc đã rút.</translation>
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
    <name>FirstSyncDialog</name>
    <message>
        <source>Connecting to the server…</source>
        <translation>Đang kết nối máy chủ…</translation>
    </message>
    <message>
        <source>%1 dossiers downloaded</source>
        <translation>Đã tải %1 hồ sơ</translation>
    </message>
    <message>
        <source>First synchronisation</source>
        <translation>Đồng bộ lần đầu</translation>
    </message>
    <message>
        <source>Downloading your dossiers</source>
        <translation>Đang tải hồ sơ của bạn</translation>
    </message>
    <message>
        <source>This happens once, on the first sign-in on this computer. You can cancel: what has been downloaded is kept and the rest follows later.</source>
        <translation>Việc này chỉ diễn ra một lần, khi đăng nhập lần đầu trên máy này. Bạn có thể hủy: phần đã tải được giữ lại, phần còn lại sẽ tải sau.</translation>
    </message>
    <message>
        <source>Welcome, %1.</source>
        <translation>Xin chào %1.</translation>
    </message>
    <message>
        <source>Continue &amp;offline</source>
        <translation>Tiếp tục &amp;ngoại tuyến</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Đang hủy…</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Hủy</translation>
    </message>
    <message>
        <source>&amp;Retry</source>
        <translation>&amp;Thử lại</translation>
    </message>
</context>
<context>
    <name>GuideDialog</name>
    <message>
        <source>User guide</source>
        <translation>Hướng dẫn sử dụng</translation>
    </message>
</context>
<context>
    <name>HeadModels</name>
    <message>
        <source>Code</source>
        <translation>Mã hồ sơ</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Lĩnh vực</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>Người nộp</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Ngày tiếp nhận</translation>
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
        <source>Officer</source>
        <translation>Cán bộ</translation>
    </message>
    <message>
        <source>Proposal</source>
        <translation>Đề xuất</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>Mới đăng ký</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Đang xử lý</translation>
    </message>
    <message>
        <source>Due ≤ 3 days</source>
        <translation>Đến hạn ≤ 3 ngày</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>Quá hạn</translation>
    </message>
    <message>
        <source>On leave</source>
        <translation>Nghỉ phép</translation>
    </message>
    <message>
        <source>Checked in</source>
        <translation>Đã điểm danh</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>Đúng hạn</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>Quá hạn</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Tổng số</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Tỷ lệ</translation>
    </message>
    <message>
        <source>Windows</source>
        <translation>Số lượt</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Đã điểm danh</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>Bỏ lỡ</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Tháng</translation>
    </message>
    <message>
        <source>Counted from</source>
        <translation>Tính từ ngày</translation>
    </message>
    <message>
        <source>Outside a window</source>
        <translation>Ngoài khung giờ</translation>
    </message>
    <message>
        <source>Made offline</source>
        <translation>Điểm danh ngoại tuyến</translation>
    </message>
    <message>
        <source>Longest offline delay</source>
        <translation>Độ trễ ngoại tuyến lớn nhất</translation>
    </message>
    <message>
        <source>Grant</source>
        <translation>Giải quyết</translation>
    </message>
    <message>
        <source>Refuse</source>
        <translation>Từ chối tiếp nhận</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>không rõ</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>có</translation>
    </message>
    <message>
        <source>no</source>
        <translation>không</translation>
    </message>
    <message>
        <source>Last check-in: %1</source>
        <translation>Điểm danh lần cuối: %1</translation>
    </message>
</context>
<context>
    <name>HeaderPanel</name>
    <message>
        <source>Field</source>
        <translation>Lĩnh vực</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>Cán bộ</translation>
    </message>
</context>
<context>
    <name>Launcher</name>
    <message>
        <source>Local data moved aside</source>
        <translation>Dữ liệu trên máy đã được chuyển sang chỗ khác</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <source>%1 changes have not been sent to the server yet. They stay on this computer and are sent after you sign in again. Sign out now?</source>
        <translation>Còn %1 thay đổi chưa gửi lên máy chủ. Chúng vẫn được lưu trên máy này và sẽ gửi sau khi bạn đăng nhập lại. Đăng xuất ngay?</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Account disabled</source>
        <translation>Tài khoản đã bị vô hiệu hóa</translation>
    </message>
    <message>
        <source>Access revoked</source>
        <translation>Quyền truy cập đã bị thu hồi</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Enter the server address your IT staff gave you.</source>
        <translation>Nhập địa chỉ máy chủ do bộ phận CNTT cung cấp.</translation>
    </message>
    <message>
        <source>The server address must start with https://: plain http:// would send your password and the dossiers unencrypted.</source>
        <translation>Địa chỉ máy chủ phải bắt đầu bằng https://: dùng http:// sẽ gửi mật khẩu và hồ sơ đi mà không được mã hóa.</translation>
    </message>
    <message>
        <source>The server address must start with https:// and contain a host name, e.g. https://motcua.example.gov.vn.</source>
        <translation>Địa chỉ máy chủ phải bắt đầu bằng https:// và có tên máy chủ, ví dụ https://motcua.example.gov.vn.</translation>
    </message>
    <message>
        <source>Enter your user name.</source>
        <translation>Nhập tên đăng nhập.</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>Nhập mật khẩu.</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Đang đăng nhập…</translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation>Đăng &amp;nhập</translation>
    </message>
    <message>
        <source>Sign in — Work from home</source>
        <translation>Đăng nhập — Làm việc tại nhà</translation>
    </message>
    <message>
        <source>One-stop shop: work from home</source>
        <translation>Bộ phận Một cửa — làm việc tại nhà</translation>
    </message>
    <message>
        <source>Sign in with your one-stop-shop account. Your dossiers are kept encrypted on this computer so you can keep working offline.</source>
        <translation>Đăng nhập bằng tài khoản một cửa của bạn. Hồ sơ được lưu mã hóa trên máy này để bạn vẫn làm việc được khi mất mạng.</translation>
    </message>
    <message>
        <source>Se&amp;rver address</source>
        <translation>Địa chỉ &amp;máy chủ</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>&amp;Tên đăng nhập</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>Mật &amp;khẩu</translation>
    </message>
    <message>
        <source>e.g. cv.tnmt1</source>
        <translation>ví dụ cv.tnmt1</translation>
    </message>
    <message>
        <source>Set by your organisation</source>
        <translation>Do đơn vị của bạn thiết lập</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>T&amp;hoát</translation>
    </message>
</context>
<context>
    <name>MainStatusBar</name>
    <message>
        <source>Signed in: %1</source>
        <translation>Đăng nhập: %1</translation>
    </message>
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
        <source>This computer has no network connection.</source>
        <translation>Máy tính không có kết nối mạng.</translation>
    </message>
    <message>
        <source>The server stopped answering; the app keeps trying.</source>
        <translation>Máy chủ không trả lời; ứng dụng vẫn đang thử kết nối lại.</translation>
    </message>
    <message>
        <source>The server cannot be reached; the app keeps trying.</source>
        <translation>Không kết nối được máy chủ; ứng dụng vẫn đang thử lại.</translation>
    </message>
    <message>
        <source>Your work is kept on this computer and sent later.</source>
        <translation>Công việc của anh/chị được lưu trên máy này và gửi đi sau.</translation>
    </message>
    <message>
        <source>Exchanging changes with the server.</source>
        <translation>Đang trao đổi thay đổi với máy chủ.</translation>
    </message>
    <message>
        <source>Connected to the server: recalls and assignments arrive at once.</source>
        <translation>Đã kết nối máy chủ: lệnh triệu tập và phân công đến ngay lập tức.</translation>
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
        <source>%1 conflicts</source>
        <translation>%1 xung đột</translation>
    </message>
    <message>
        <source>%1 rejected</source>
        <translation>%1 bị từ chối</translation>
    </message>
    <message>
        <source>Open conflicts and rejected changes (Ctrl+Shift+K)</source>
        <translation>Mở danh sách xung đột và thay đổi bị từ chối (Ctrl+Shift+K)</translation>
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
        <source>⚠ Days off of %1 not confirmed</source>
        <translation>⚠ Lịch nghỉ năm %1 chưa được xác nhận</translation>
    </message>
    <message>
        <source>The government has not yet decreed the days off of %1 (or IT has not entered them). Deadlines that fall in %1 are computed with the usual holidays and may move when the decree is published.</source>
        <translation>Chính phủ chưa công bố lịch nghỉ năm %1 (hoặc bộ phận công nghệ thông tin chưa cập nhật). Thời hạn rơi vào năm %1 đang được tính theo các ngày lễ thông thường và có thể thay đổi khi có thông báo chính thức.</translation>
    </message>
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
        <source>Dossiers — Work from home</source>
        <translation>Hồ sơ — Làm việc tại nhà</translation>
    </message>
    <message>
        <source>head</source>
        <translation>lãnh đạo</translation>
    </message>
    <message>
        <source>officer</source>
        <translation>chuyên viên</translation>
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
        <source>Sign &amp;out…</source>
        <translation>Đăng &amp;xuất…</translation>
    </message>
    <message>
        <source>&amp;Cancel sync</source>
        <translation>&amp;Hủy đồng bộ</translation>
    </message>
    <message>
        <source>Co&amp;nflicts and rejected changes…</source>
        <translation>&amp;Xung đột và thay đổi bị từ chối…</translation>
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
        <source>Sort by &amp;urgency</source>
        <translation>Sắp xếp theo mức &amp;khẩn</translation>
    </message>
    <message>
        <source>Show my &amp;to-do list</source>
        <translation>Xem &amp;việc cần làm</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Ngôn ngữ</translation>
    </message>
    <message>
        <source>&amp;User guide</source>
        <translation>&amp;Hướng dẫn sử dụng</translation>
    </message>
    <message>
        <source>&amp;What this app records…</source>
        <translation>Ứng dụng &amp;ghi lại những gì…</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>&amp;Giới thiệu</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>Something went wrong.</source>
        <translation>Đã xảy ra lỗi.</translation>
    </message>
    <message>
        <source>The user name or password is wrong. Check them (and the keyboard&apos;s language and Caps Lock) and try again.</source>
        <translation>Sai tên đăng nhập hoặc mật khẩu. Hãy kiểm tra lại (cả bộ gõ tiếng Việt và phím Caps Lock) rồi thử lại.</translation>
    </message>
    <message>
        <source>Your account is already used on as many computers as allowed. Ask IT to remove one you no longer use, then sign in again.</source>
        <translation>Tài khoản của bạn đã được dùng trên số máy tối đa cho phép. Hãy đề nghị bộ phận CNTT gỡ một máy bạn không còn dùng, rồi đăng nhập lại.</translation>
    </message>
    <message>
        <source>Too many sign-in attempts failed. Try again in %1 min.</source>
        <translation>Đăng nhập sai quá nhiều lần. Hãy thử lại sau %1 phút.</translation>
    </message>
    <message>
        <source>Your account has been disabled. The data kept on this computer was erased. Contact your department&apos;s IT staff.</source>
        <translation>Tài khoản của bạn đã bị vô hiệu hóa. Dữ liệu lưu trên máy tính này đã được xóa. Hãy liên hệ bộ phận công nghệ thông tin của đơn vị.</translation>
    </message>
    <message>
        <source>This computer&apos;s access has been revoked. The data kept on it was erased. Contact your department&apos;s IT staff.</source>
        <translation>Quyền truy cập của máy tính này đã bị thu hồi. Dữ liệu lưu trên máy đã được xóa. Hãy liên hệ bộ phận công nghệ thông tin của đơn vị.</translation>
    </message>
    <message>
        <source>The server address must start with https://: plain http:// would send your password and the dossiers unencrypted. Ask IT for the right address.</source>
        <translation>Địa chỉ máy chủ phải bắt đầu bằng https://: dùng http:// sẽ gửi mật khẩu và hồ sơ đi mà không được mã hóa. Hãy hỏi bộ phận CNTT địa chỉ đúng.</translation>
    </message>
    <message>
        <source>The server&apos;s security certificate could not be verified, so nothing was sent. Check the server address, or ask IT for the certificate (CA bundle).</source>
        <translation>Không xác minh được chứng chỉ bảo mật của máy chủ nên chưa gửi gì. Hãy kiểm tra địa chỉ máy chủ hoặc đề nghị bộ phận CNTT cung cấp chứng chỉ (CA bundle).</translation>
    </message>
    <message>
        <source>The server cannot be reached. Check your network connection and the server address; your work is kept on this computer and sent later.</source>
        <translation>Không kết nối được máy chủ. Hãy kiểm tra kết nối mạng và địa chỉ máy chủ; công việc của bạn vẫn được lưu trên máy này và sẽ gửi sau.</translation>
    </message>
    <message>
        <source>The system&apos;s password store (keyring) is locked or missing. Unlock it (or sign in to your desktop session again) and retry.</source>
        <translation>Kho mật khẩu của hệ thống (keyring) đang bị khóa hoặc không có. Hãy mở khóa (hoặc đăng nhập lại phiên làm việc của máy) rồi thử lại.</translation>
    </message>
    <message>
        <source>Your session has expired. Sign in again; nothing on this computer is lost.</source>
        <translation>Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại; dữ liệu trên máy này không bị mất.</translation>
    </message>
    <message>
        <source>The local data cannot be opened because its key is missing from the password store. Sign in again to rebuild it from the server.</source>
        <translation>Không mở được dữ liệu cục bộ vì khóa giải mã không còn trong kho mật khẩu. Hãy đăng nhập lại để tải lại từ máy chủ.</translation>
    </message>
    <message>
        <source>The local data is not encrypted, which your organisation does not allow. Ask IT for help.</source>
        <translation>Dữ liệu cục bộ không được mã hóa, điều mà đơn vị của bạn không cho phép. Hãy nhờ bộ phận CNTT hỗ trợ.</translation>
    </message>
    <message>
        <source>The server&apos;s answer would remove most of your dossiers, so nothing was removed. If you were moved to another department, ask IT to run a full resync.</source>
        <translation>Phản hồi của máy chủ sẽ xóa phần lớn hồ sơ của bạn nên chưa xóa gì. Nếu bạn được chuyển sang đơn vị khác, hãy đề nghị bộ phận CNTT đồng bộ lại toàn bộ.</translation>
    </message>
    <message>
        <source>Synchronisation was cancelled; it continues later from where it stopped.</source>
        <translation>Đã hủy đồng bộ; lần sau sẽ tiếp tục từ chỗ đã dừng.</translation>
    </message>
    <message>
        <source>The downloaded file is damaged (its checksum does not match), so it was thrown away. Download it again.</source>
        <translation>Tệp tải về bị hỏng (mã kiểm tra không khớp) nên đã bị loại bỏ. Hãy tải lại.</translation>
    </message>
    <message>
        <source>The file is not on this computer yet: download it first.</source>
        <translation>Tệp chưa có trên máy này: hãy tải về trước.</translation>
    </message>
    <message>
        <source>Stopped, as you asked.</source>
        <translation>Đã dừng theo yêu cầu của bạn.</translation>
    </message>
    <message>
        <source>The dossier is no longer on this computer (it left your list).</source>
        <translation>Hồ sơ không còn trên máy này (đã ra khỏi danh sách của bạn).</translation>
    </message>
    <message>
        <source>Your organisation manages this setting; it cannot be changed here.</source>
        <translation>Cơ quan của bạn quản lý thiết lập này; không thay đổi được ở đây.</translation>
    </message>
    <message>
        <source>This value is not allowed.</source>
        <translation>Giá trị này không được phép.</translation>
    </message>
    <message>
        <source>This was not accepted: check what you entered and try again.</source>
        <translation>Không được chấp nhận: hãy kiểm tra nội dung đã nhập rồi thử lại.</translation>
    </message>
    <message>
        <source>Unexpected error: %1</source>
        <translation>Lỗi không mong đợi: %1</translation>
    </message>
    <message>
        <source>The disk is full: free some space and try again.</source>
        <translation>Ổ đĩa đã đầy: hãy giải phóng bớt dung lượng rồi thử lại.</translation>
    </message>
    <message>
        <source>You may not write or read there. Choose another folder.</source>
        <translation>Bạn không có quyền ghi hoặc đọc ở đó. Hãy chọn thư mục khác.</translation>
    </message>
    <message>
        <source>The file or folder does not exist.</source>
        <translation>Tệp hoặc thư mục không tồn tại.</translation>
    </message>
    <message>
        <source>That is a folder: choose a file name.</source>
        <translation>Đó là một thư mục: hãy chọn tên tệp.</translation>
    </message>
    <message>
        <source>The file could not be read or written (system error %1).</source>
        <translation>Không đọc hoặc ghi được tệp (lỗi hệ thống %1).</translation>
    </message>
    <message>
        <source>The server cannot be reached, so you cannot sign in yet. Check that this computer is on the network; if it is, contact your IT staff: the server address may be wrong or the server may be down.</source>
        <translation>Không kết nối được máy chủ nên chưa đăng nhập được. Hãy kiểm tra máy tính đã vào mạng chưa; nếu mạng vẫn tốt, hãy liên hệ cán bộ CNTT: địa chỉ máy chủ có thể sai hoặc máy chủ đang tạm ngừng.</translation>
    </message>
    <message>
        <source>IT support: %1</source>
        <translation>Hỗ trợ CNTT: %1</translation>
    </message>
    <message>
        <source>The file is empty.</source>
        <translation>Tệp rỗng.</translation>
    </message>
    <message>
        <source>Only PDF files, images, Word/Excel/PowerPoint or OpenDocument files and plain text can be attached.</source>
        <translation>Chỉ đính kèm được tệp PDF, hình ảnh, tệp Word/Excel/PowerPoint hoặc OpenDocument và văn bản thuần.</translation>
    </message>
    <message>
        <source>The file&apos;s content does not match its type (its name says one thing, its content another).</source>
        <translation>Nội dung tệp không khớp với loại tệp (tên tệp nói một đằng, nội dung một nẻo).</translation>
    </message>
    <message>
        <source>A result can be attached only while the dossier is being processed or its result is ready.</source>
        <translation>Chỉ đính kèm được kết quả khi hồ sơ đang xử lý hoặc đã có kết quả.</translation>
    </message>
    <message>
        <source>The server asked for a full download of your dossiers; it starts again automatically.</source>
        <translation>Máy chủ yêu cầu tải lại toàn bộ hồ sơ; việc tải sẽ tự động bắt đầu lại.</translation>
    </message>
    <message>
        <source>This version of the app (%1) is too old: the server accepts %2 or newer. Ask your IT support to update this computer; nothing on it is lost.</source>
        <translation>Phiên bản ứng dụng này (%1) đã quá cũ: máy chủ chỉ chấp nhận từ %2 trở lên. Hãy nhờ bộ phận CNTT cập nhật máy tính này; dữ liệu trên máy không bị mất.</translation>
    </message>
    <message>
        <source>Your account is not allowed to do this.</source>
        <translation>Tài khoản của bạn không được phép thực hiện việc này.</translation>
    </message>
    <message>
        <source>The server is busy or having trouble (error %1). The app retries by itself in a moment.</source>
        <translation>Máy chủ đang bận hoặc gặp sự cố (lỗi %1). Ứng dụng sẽ tự thử lại sau giây lát.</translation>
    </message>
    <message>
        <source>The server refused the request (%1).</source>
        <translation>Máy chủ từ chối yêu cầu (%1).</translation>
    </message>
    <message>
        <source>Accept at the counter</source>
        <translation>Tiếp nhận hồ sơ</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>Phân công</translation>
    </message>
    <message>
        <source>Start review</source>
        <translation>Bắt đầu thẩm định</translation>
    </message>
    <message>
        <source>Request documents</source>
        <translation>Yêu cầu bổ sung hồ sơ</translation>
    </message>
    <message>
        <source>Documents received</source>
        <translation>Đã nhận hồ sơ bổ sung</translation>
    </message>
    <message>
        <source>Submit for approval</source>
        <translation>Trình ký</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Phê duyệt</translation>
    </message>
    <message>
        <source>Return for rework</source>
        <translation>Trả lại để xử lý lại</translation>
    </message>
    <message>
        <source>Refuse</source>
        <translation>Từ chối tiếp nhận</translation>
    </message>
    <message>
        <source>Stop processing</source>
        <translation>Dừng xử lý</translation>
    </message>
    <message>
        <source>Apology and new date</source>
        <translation>Xin lỗi và hẹn lại ngày trả</translation>
    </message>
    <message>
        <source>Return the result</source>
        <translation>Trả kết quả</translation>
    </message>
    <message>
        <source>Upload a result document</source>
        <translation>Tải lên tài liệu kết quả</translation>
    </message>
    <message>
        <source>The dossier is no longer yours (reassigned or withdrawn).</source>
        <translation>Hồ sơ không còn do bạn xử lý (đã giao cho người khác hoặc đã rút).</translation>
    </message>
    <message>
        <source>The dossier is no longer yours: it was reassigned to someone else or withdrawn.</source>
        <translation>Hồ sơ không còn là của anh/chị: đã được phân công cho người khác hoặc đã bị rút.</translation>
    </message>
    <message>
        <source>You kept the server&apos;s version instead.</source>
        <translation>Bạn đã chọn giữ bản của máy chủ.</translation>
    </message>
    <message>
        <source>The dossier kept changing on the server.</source>
        <translation>Hồ sơ liên tục thay đổi trên máy chủ.</translation>
    </message>
    <message>
        <source>The copy of this dossier cannot be read; synchronise again.</source>
        <translation>Không đọc được bản sao của hồ sơ này; hãy đồng bộ lại.</translation>
    </message>
    <message>
        <source>This action is not possible in the current status of the dossier.</source>
        <translation>Không thể thực hiện thao tác này ở trạng thái hiện tại của hồ sơ.</translation>
    </message>
    <message>
        <source>The dossier is not assigned to you.</source>
        <translation>Hồ sơ không được phân công cho bạn.</translation>
    </message>
    <message>
        <source>Your role may not perform this action.</source>
        <translation>Vai trò của bạn không được thực hiện thao tác này.</translation>
    </message>
    <message>
        <source>The new appointment must be later than the current due date.</source>
        <translation>Ngày hẹn mới phải sau ngày hẹn trả hiện tại.</translation>
    </message>
    <message>
        <source>Unknown action.</source>
        <translation>Thao tác không xác định.</translation>
    </message>
    <message>
        <source>The officer chosen is not an active officer of this department.</source>
        <translation>Cán bộ được chọn không phải là cán bộ đang làm việc của phòng này.</translation>
    </message>
    <message>
        <source>A value is not allowed.</source>
        <translation>Có giá trị không được phép.</translation>
    </message>
    <message>
        <source>The date is not valid.</source>
        <translation>Ngày giờ không hợp lệ.</translation>
    </message>
    <message>
        <source>The text is too long.</source>
        <translation>Nội dung quá dài.</translation>
    </message>
    <message>
        <source>Too many items: at most 50 documents per request.</source>
        <translation>Quá nhiều mục: tối đa 50 giấy tờ mỗi lần yêu cầu.</translation>
    </message>
    <message>
        <source>A missing-document line is empty.</source>
        <translation>Có dòng giấy tờ còn thiếu để trống.</translation>
    </message>
    <message>
        <source>Sign in and synchronise once before acting on dossiers.</source>
        <translation>Hãy đăng nhập và đồng bộ ít nhất một lần trước khi xử lý hồ sơ.</translation>
    </message>
    <message>
        <source>Select a dossier first.</source>
        <translation>Hãy chọn một hồ sơ trước.</translation>
    </message>
    <message>
        <source>The dossier belongs to another department.</source>
        <translation>Hồ sơ thuộc đơn vị khác.</translation>
    </message>
    <message>
        <source>A new appointment date may be set only once.</source>
        <translation>Chỉ được hẹn lại ngày trả kết quả một lần.</translation>
    </message>
    <message>
        <source>The apology must be made at least one working day before the due date.</source>
        <translation>Phải xin lỗi và hẹn lại chậm nhất một ngày làm việc trước ngày hẹn trả.</translation>
    </message>
    <message>
        <source>The dossier has no due date to postpone.</source>
        <translation>Hồ sơ không có hạn xử lý để lùi.</translation>
    </message>
    <message>
        <source>The server does not allow you to act on this dossier.</source>
        <translation>Máy chủ không cho phép bạn thao tác trên hồ sơ này.</translation>
    </message>
    <message>
        <source>The dossier no longer exists on the server.</source>
        <translation>Hồ sơ không còn trên máy chủ.</translation>
    </message>
    <message>
        <source>The server found the action invalid.</source>
        <translation>Máy chủ xác định thao tác không hợp lệ.</translation>
    </message>
    <message>
        <source>The file is larger than the server accepts (20 MB).</source>
        <translation>Tệp lớn hơn mức máy chủ chấp nhận (20 MB).</translation>
    </message>
    <message>
        <source>The server&apos;s answer to this change expired before it reached this computer; check the dossier to see whether it was applied.</source>
        <translation>Câu trả lời của máy chủ cho thay đổi này đã hết hạn trước khi về tới máy; hãy xem lại hồ sơ để biết thay đổi đã được ghi nhận chưa.</translation>
    </message>
    <message>
        <source>The text contains a character that is not allowed (a control or text-direction character).</source>
        <translation>Văn bản có ký tự không được phép (ký tự điều khiển hoặc ký tự đổi chiều văn bản).</translation>
    </message>
    <message>
        <source>The change was refused (%1).</source>
        <translation>Thay đổi bị từ chối (%1).</translation>
    </message>
    <message>
        <source>Write the note.</source>
        <translation>Hãy nhập nội dung ghi chú.</translation>
    </message>
    <message>
        <source>Choose an officer.</source>
        <translation>Hãy chọn cán bộ.</translation>
    </message>
    <message>
        <source>Tick or write at least one missing document.</source>
        <translation>Hãy đánh dấu hoặc ghi ít nhất một giấy tờ còn thiếu.</translation>
    </message>
    <message>
        <source>Write the proposed result.</source>
        <translation>Hãy nhập kết quả đề xuất.</translation>
    </message>
    <message>
        <source>Choose the proposed decision.</source>
        <translation>Hãy chọn hướng đề xuất.</translation>
    </message>
    <message>
        <source>Write a comment for the officer.</source>
        <translation>Hãy nhập ý kiến cho cán bộ.</translation>
    </message>
    <message>
        <source>Write the reason.</source>
        <translation>Hãy nhập lý do.</translation>
    </message>
    <message>
        <source>Choose the new appointment date.</source>
        <translation>Hãy chọn ngày hẹn mới.</translation>
    </message>
    <message>
        <source>Choose how the result was returned.</source>
        <translation>Hãy chọn hình thức trả kết quả.</translation>
    </message>
    <message>
        <source>Enter the postal tracking number.</source>
        <translation>Hãy nhập mã vận đơn bưu chính.</translation>
    </message>
    <message>
        <source>A required field is missing: %1</source>
        <translation>Thiếu thông tin bắt buộc: %1</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <source>Write a note for this dossier…</source>
        <translation>Nhập ghi chú cho hồ sơ này…</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>Ghi chú:</translation>
    </message>
</context>
<context>
    <name>NotesPanel</name>
    <message>
        <source>Write a note for colleagues and the head…</source>
        <translation>Nhập ghi chú cho đồng nghiệp và lãnh đạo…</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Thêm ghi chú</translation>
    </message>
    <message>
        <source>waiting to sync</source>
        <translation>đang chờ đồng bộ</translation>
    </message>
</context>
<context>
    <name>OnCall</name>
    <message>
        <source>Working</source>
        <translation>Đang làm việc</translation>
    </message>
    <message>
        <source>In a meeting</source>
        <translation>Đang họp</translation>
    </message>
    <message>
        <source>Briefly away</source>
        <translation>Vắng mặt ngắn</translation>
    </message>
    <message>
        <source>Done (queued, not sent yet)</source>
        <translation>Đã điểm danh (đang chờ gửi)</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Đã điểm danh</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>Bỏ lỡ</translation>
    </message>
    <message>
        <source>Open now</source>
        <translation>Đang mở</translation>
    </message>
    <message>
        <source>Upcoming</source>
        <translation>Sắp tới</translation>
    </message>
    <message>
        <source>Suspended (leave)</source>
        <translation>Tạm dừng (nghỉ phép)</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Đã gửi</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Đã nhận</translation>
    </message>
    <message>
        <source>Seen</source>
        <translation>Đã xem</translation>
    </message>
    <message>
        <source>Coming</source>
        <translation>Sẽ đến</translation>
    </message>
    <message>
        <source>Cannot come</source>
        <translation>Không thể đến</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Đã đóng</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Bình thường</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>Khẩn</translation>
    </message>
    <message>
        <source>Waiting for approval</source>
        <translation>Chờ duyệt</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>Đã phê duyệt</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Bị từ chối</translation>
    </message>
    <message>
        <source>%1 (arrives %2)</source>
        <translation>%1 (đến lúc %2)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>OnCallUi</name>
    <message>
        <source>On-call duty is not connected yet; try again in a moment.</source>
        <translation>Chức năng trực chưa kết nối xong; hãy thử lại sau giây lát.</translation>
    </message>
    <message>
        <source>The team view needs a connection to the server; try again in a moment.</source>
        <translation>Màn hình nhóm cần kết nối tới máy chủ; hãy thử lại sau giây lát.</translation>
    </message>
    <message>
        <source>Missed check-in</source>
        <translation>Bỏ lỡ điểm danh</translation>
    </message>
    <message>
        <source>No check-in was made in the window %1.</source>
        <translation>Không có điểm danh trong khung giờ %1.</translation>
    </message>
    <message>
        <source>Time to check in</source>
        <translation>Đến giờ điểm danh</translation>
    </message>
    <message>
        <source>Confirm that you are working before %1.</source>
        <translation>Hãy xác nhận bạn đang làm việc trước %1.</translation>
    </message>
    <message>
        <source>Check-in reminder</source>
        <translation>Nhắc điểm danh</translation>
    </message>
    <message>
        <source>The check-in window closes at %1.</source>
        <translation>Khung giờ điểm danh đóng lúc %1.</translation>
    </message>
    <message>
        <source>Recall to the office</source>
        <translation>Triệu tập về cơ quan</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Recall closed</source>
        <translation>Đã đóng lệnh triệu tập</translation>
    </message>
    <message>
        <source>The recall was closed; you do not need to answer it.</source>
        <translation>Lệnh triệu tập đã được đóng; bạn không cần trả lời nữa.</translation>
    </message>
    <message>
        <source>Answer recorded; it is sent as soon as the server can be reached.</source>
        <translation>Đã ghi nhận câu trả lời; sẽ gửi ngay khi kết nối được máy chủ.</translation>
    </message>
    <message>
        <source>This recall is closed or was already answered.</source>
        <translation>Lệnh triệu tập này đã đóng hoặc đã được trả lời.</translation>
    </message>
    <message>
        <source>Your answer was sent: you will arrive at %1.</source>
        <translation>Đã gửi câu trả lời: bạn sẽ đến lúc %1.</translation>
    </message>
    <message>
        <source>Your answer was sent: you cannot come.</source>
        <translation>Đã gửi câu trả lời: bạn không thể đến.</translation>
    </message>
    <message>
        <source>Check-ins today: %1/%2</source>
        <translation>Điểm danh hôm nay: %1/%2</translation>
    </message>
    <message>
        <source>%1 missed</source>
        <translation>bỏ lỡ %1</translation>
    </message>
    <message>
        <source>do not disturb</source>
        <translation>không làm phiền</translation>
    </message>
    <message>
        <source>Today&apos;s check-ins (Shift+F9)</source>
        <translation>Điểm danh hôm nay (Shift+F9)</translation>
    </message>
    <message>
        <source>On ca&amp;ll</source>
        <translation>Trự&amp;c</translation>
    </message>
    <message>
        <source>&amp;Check in now…</source>
        <translation>Điểm &amp;danh ngay…</translation>
    </message>
    <message>
        <source>&amp;Today&apos;s check-ins…</source>
        <translation>Điểm danh &amp;hôm nay…</translation>
    </message>
    <message>
        <source>&amp;Do not disturb</source>
        <translation>&amp;Không làm phiền</translation>
    </message>
    <message>
        <source>Hide notifications and check-in prompts. Missed windows still count; recall alerts always show.</source>
        <translation>Ẩn thông báo và lời nhắc điểm danh. Khung giờ bỏ lỡ vẫn được tính; lệnh triệu tập luôn hiện.</translation>
    </message>
    <message>
        <source>Team on &amp;call…</source>
        <translation>Tình hình &amp;trực của nhóm…</translation>
    </message>
    <message>
        <source>&amp;Team</source>
        <translation>&amp;Nhóm</translation>
    </message>
</context>
<context>
    <name>Operation</name>
    <message>
        <source>Error</source>
        <translation>Lỗi</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>OverviewPanel</name>
    <message>
        <source>Applicant</source>
        <translation>Người nộp</translation>
    </message>
    <message>
        <source>Receipt and deadline</source>
        <translation>Tiếp nhận và thời hạn</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <source>Documents requested from the applicant (Form 02)</source>
        <translation>Hồ sơ yêu cầu công dân bổ sung (Mẫu 02)</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Họ tên:</translation>
    </message>
    <message>
        <source>Type:</source>
        <translation>Loại:</translation>
    </message>
    <message>
        <source>ID number:</source>
        <translation>Số CCCD/ĐKKD:</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>Điện thoại:</translation>
    </message>
    <message>
        <source>Email:</source>
        <translation>Thư điện tử:</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>Địa chỉ:</translation>
    </message>
    <message>
        <source>Submitted:</source>
        <translation>Hình thức nộp:</translation>
    </message>
    <message>
        <source>Received:</source>
        <translation>Tiếp nhận:</translation>
    </message>
    <message>
        <source>Due:</source>
        <translation>Hẹn trả:</translation>
    </message>
    <message>
        <source>Working time:</source>
        <translation>Thời gian xử lý:</translation>
    </message>
    <message>
        <source>Result by:</source>
        <translation>Nhận kết quả:</translation>
    </message>
    <message>
        <source>Summary:</source>
        <translation>Trích yếu:</translation>
    </message>
    <message>
        <source>Fees:</source>
        <translation>Phí, lệ phí:</translation>
    </message>
    <message>
        <source>Asked on %1 by %2; waiting for the applicant.</source>
        <translation>Yêu cầu lúc %1, cán bộ %2; đang chờ công dân bổ sung.</translation>
    </message>
    <message>
        <source>Asked on %1 by %2; the documents have been received.</source>
        <translation>Yêu cầu lúc %1, cán bộ %2; đã nhận đủ hồ sơ bổ sung.</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>Lý do: %1</translation>
    </message>
    <message>
        <source>(postponed from %1)</source>
        <translation>(hẹn lại từ %1)</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Không có</translation>
    </message>
</context>
<context>
    <name>Privacy</name>
    <message>
        <source>Your check-ins: the time, the status you chose (working, in a meeting, briefly away), the reason you typed when briefly away, and whether it was made offline.</source>
        <translation>Các lần điểm danh của bạn: thời điểm, trạng thái bạn chọn (đang làm việc, đang họp, vắng mặt ngắn), lý do bạn nhập khi vắng mặt ngắn, và việc điểm danh có được thực hiện khi mất mạng hay không.</translation>
    </message>
    <message>
        <source>Your answers to recalls: when the alert reached this computer and was seen, whether you are coming and at what time, or the reason you cannot come.</source>
        <translation>Các câu trả lời triệu tập: khi nào thông báo đến máy này và được xem, bạn có đến hay không và đến lúc mấy giờ, hoặc lý do bạn không thể đến.</translation>
    </message>
    <message>
        <source>Sync metadata: what was sent to and received from the one-stop-shop server, and when (your actions on dossiers, as in any dossier&apos;s history).</source>
        <translation>Thông tin đồng bộ: những gì đã gửi lên và nhận về từ hệ thống một cửa, và vào lúc nào (các thao tác của bạn trên hồ sơ, như trong lịch sử của hồ sơ).</translation>
    </message>
    <message>
        <source>No screenshots or screen recordings.</source>
        <translation>Không chụp hay quay màn hình.</translation>
    </message>
    <message>
        <source>No keyboard or mouse activity (no keystrokes, no clicks, no idle-time tracking).</source>
        <translation>Không ghi hoạt động bàn phím hay chuột (không ghi phím gõ, không ghi cú nhấp, không theo dõi thời gian rảnh).</translation>
    </message>
    <message>
        <source>No location (no GPS, no Wi-Fi or IP-based location).</source>
        <translation>Không ghi vị trí (không GPS, không định vị qua Wi-Fi hay địa chỉ IP).</translation>
    </message>
    <message>
        <source>No other applications or websites you use.</source>
        <translation>Không ghi các ứng dụng hay trang web khác mà bạn sử dụng.</translation>
    </message>
</context>
<context>
    <name>PrivacyDialog</name>
    <message>
        <source>What this app records</source>
        <translation>Ứng dụng ghi lại những gì</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>Đón&amp;g</translation>
    </message>
    <message>
        <source>This app records only:</source>
        <translation>Ứng dụng chỉ ghi lại:</translation>
    </message>
    <message>
        <source>It never records:</source>
        <translation>Ứng dụng không bao giờ ghi lại:</translation>
    </message>
    <message>
        <source>Check-ins are made only when you click; nothing is recorded in between. Dossiers and these records are kept on this computer in an encrypted cache whose key is in the system&apos;s password store.</source>
        <translation>Điểm danh chỉ được ghi khi bạn bấm; giữa các lần đó không ghi gì cả. Hồ sơ và các bản ghi này được lưu trên máy trong bộ nhớ đệm mã hóa, khóa nằm trong kho mật khẩu của hệ thống.</translation>
    </message>
</context>
<context>
    <name>QueuePage</name>
    <message>
        <source>&amp;Assign…</source>
        <translation>&amp;Phân công…</translation>
    </message>
    <message>
        <source>Assign the selected dossiers to an officer</source>
        <translation>Phân công các hồ sơ đã chọn cho một cán bộ</translation>
    </message>
    <message>
        <source>&amp;Open dossier</source>
        <translation>&amp;Mở hồ sơ</translation>
    </message>
    <message>
        <source>Assign…</source>
        <translation>Phân công…</translation>
    </message>
    <message numerus="yes">
        <source>%n dossier(s) waiting for an officer</source>
        <translation>
            <numerusform>%n hồ sơ đang chờ phân công</numerusform>
        </translation>
    </message>
    <message>
        <source>No dossier is waiting for an officer.</source>
        <translation>Không có hồ sơ nào đang chờ phân công.</translation>
    </message>
</context>
<context>
    <name>RecallAlert</name>
    <message>
        <source>Say why you cannot come: the reason is required.</source>
        <translation>Hãy cho biết vì sao bạn không thể đến: lý do là bắt buộc.</translation>
    </message>
    <message>
        <source>Recall to the office</source>
        <translation>Triệu tập về cơ quan</translation>
    </message>
    <message>
        <source>URGENT RECALL</source>
        <translation>TRIỆU TẬP KHẨN</translation>
    </message>
    <message>
        <source>You are recalled</source>
        <translation>Bạn được triệu tập</translation>
    </message>
    <message>
        <source>reminder %1</source>
        <translation>nhắc lần %1</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>Người triệu tập:</translation>
    </message>
    <message>
        <source>Report by:</source>
        <translation>Có mặt trước:</translation>
    </message>
    <message>
        <source>Urgency:</source>
        <translation>Mức độ:</translation>
    </message>
    <message>
        <source>Sent at:</source>
        <translation>Gửi lúc:</translation>
    </message>
    <message>
        <source>&amp;Arrival time:</source>
        <translation>&amp;Giờ đến:</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Lý do:</translation>
    </message>
    <message>
        <source>required if you cannot come</source>
        <translation>bắt buộc nếu bạn không thể đến</translation>
    </message>
    <message>
        <source>I will &amp;come</source>
        <translation>Tôi sẽ đế&amp;n</translation>
    </message>
    <message>
        <source>I ca&amp;nnot come</source>
        <translation>&amp;Không thể đến</translation>
    </message>
</context>
<context>
    <name>RecallDialog</name>
    <message>
        <source>Write what the recall is about.</source>
        <translation>Hãy ghi nội dung triệu tập.</translation>
    </message>
    <message>
        <source>The report-by time must be between now and 7 days ahead.</source>
        <translation>Thời hạn có mặt phải từ bây giờ đến 7 ngày tới.</translation>
    </message>
    <message>
        <source>Recall to the office</source>
        <translation>Triệu tập về cơ quan</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>Đến ngày:</translation>
    </message>
    <message>
        <source>&amp;Message:</source>
        <translation>&amp;Nội dung:</translation>
    </message>
    <message>
        <source>&amp;Report by:</source>
        <translation>&amp;Có mặt trước:</translation>
    </message>
    <message>
        <source>&amp;Urgency:</source>
        <translation>&amp;Mức độ:</translation>
    </message>
    <message>
        <source>e.g. Citizens are waiting at the counter; please come to the office.</source>
        <translation>ví dụ: Công dân đang chờ ở Bộ phận Một cửa; đề nghị về cơ quan.</translation>
    </message>
    <message>
        <source>Send &amp;recall</source>
        <translation>Gửi &amp;triệu tập</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>RefuseDialog</name>
    <message>
        <source>Refuse the dossier at intake (Mẫu 03). The applicant is told the reason.</source>
        <translation>Từ chối tiếp nhận hồ sơ (Mẫu 03). Người nộp được thông báo lý do.</translation>
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
    <name>ReportsPage</name>
    <message>
        <source>From:</source>
        <translation>Từ ngày:</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>Đến ngày:</translation>
    </message>
    <message>
        <source>On-time rate by:</source>
        <translation>Tỷ lệ đúng hạn theo:</translation>
    </message>
    <message>
        <source>officer</source>
        <translation>cán bộ</translation>
    </message>
    <message>
        <source>field</source>
        <translation>lĩnh vực</translation>
    </message>
    <message>
        <source>month</source>
        <translation>tháng</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>&amp;Xem</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>Xuất &amp;CSV…</translation>
    </message>
    <message>
        <source>Export &amp;Excel…</source>
        <translation>Xuất &amp;Excel…</translation>
    </message>
    <message>
        <source>On-time rate</source>
        <translation>Tỷ lệ đúng hạn</translation>
    </message>
    <message>
        <source>Check-ins</source>
        <translation>Điểm danh</translation>
    </message>
    <message>
        <source>Sign in to see the reports.</source>
        <translation>Hãy đăng nhập để xem báo cáo.</translation>
    </message>
    <message>
        <source>The end date is before the start date.</source>
        <translation>Ngày kết thúc trước ngày bắt đầu.</translation>
    </message>
    <message>
        <source>Loading the reports…</source>
        <translation>Đang tải báo cáo…</translation>
    </message>
    <message>
        <source>%1 – %2: %3 on time of %4 judged dossiers (%5).</source>
        <translation>%1 – %2: %3 đúng hạn trên %4 hồ sơ đã giải quyết (%5).</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>Đúng hạn</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>Quá hạn</translation>
    </message>
    <message>
        <source>On-time rate by %1</source>
        <translation>Tỷ lệ đúng hạn theo %1</translation>
    </message>
    <message>
        <source>No dossier ended in this period.</source>
        <translation>Không có hồ sơ nào kết thúc trong khoảng thời gian này.</translation>
    </message>
    <message>
        <source>Checked in</source>
        <translation>Đã điểm danh</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>Bỏ lỡ</translation>
    </message>
    <message>
        <source>On leave (not counted)</source>
        <translation>Nghỉ phép (không tính)</translation>
    </message>
    <message>
        <source>Check-in compliance</source>
        <translation>Tỷ lệ điểm danh</translation>
    </message>
    <message>
        <source>No check-in window closed in this period.</source>
        <translation>Chưa có lượt điểm danh nào kết thúc trong khoảng thời gian này.</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>Xuất CSV</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export Excel</source>
        <translation>Xuất Excel</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Bảng tính Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Đã lưu %1</translation>
    </message>
    <message>
        <source>Saving the report…</source>
        <translation>Đang lưu báo cáo…</translation>
    </message>
    <message>
        <source>The file could not be saved: %1</source>
        <translation>Không lưu được tệp: %1</translation>
    </message>
</context>
<context>
    <name>RequestDocumentsDialog</name>
    <message>
        <source>Documents were already requested on this dossier. Another request is allowed but counts as LATE for the department.</source>
        <translation>Hồ sơ này đã được yêu cầu bổ sung. Vẫn có thể yêu cầu tiếp nhưng đơn vị sẽ bị tính là QUÁ HẠN.</translation>
    </message>
    <message>
        <source>List everything that is missing now: the request may be made only once. While the dossier waits, its clock stops; when the documents arrive the processing time restarts from zero. A second request marks the dossier late.</source>
        <translation>Hãy liệt kê đầy đủ giấy tờ còn thiếu: chỉ yêu cầu bổ sung một lần. Trong thời gian chờ, thời hạn tạm dừng; khi nhận đủ hồ sơ, thời hạn được tính lại từ đầu. Yêu cầu lần thứ hai sẽ bị tính là quá hạn.</translation>
    </message>
    <message>
        <source>Submitted documents to supplement or correct:</source>
        <translation>Giấy tờ đã nộp cần bổ sung, sửa đổi:</translation>
    </message>
    <message>
        <source>Documents not submitted at all, one per line, e.g.
Bản sao Giấy chứng nhận quyền sử dụng đất</source>
        <translation>Giấy tờ chưa nộp, mỗi dòng một loại, ví dụ:
Bản sao Giấy chứng nhận quyền sử dụng đất</translation>
    </message>
    <message>
        <source>Other missing documents:</source>
        <translation>Giấy tờ còn thiếu khác:</translation>
    </message>
    <message>
        <source>Why they are needed (optional)</source>
        <translation>Lý do cần bổ sung (không bắt buộc)</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>Lý do:</translation>
    </message>
</context>
<context>
    <name>ReturnForReworkDialog</name>
    <message>
        <source>Send the dossier back to the officer with what to change.</source>
        <translation>Trả hồ sơ về cán bộ kèm nội dung cần sửa.</translation>
    </message>
</context>
<context>
    <name>ReturnResultDialog</name>
    <message>
        <source>At the counter</source>
        <translation>Tại Bộ phận Một cửa</translation>
    </message>
    <message>
        <source>By post</source>
        <translation>Qua bưu chính</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <source>e.g. EL123456789VN</source>
        <translation>ví dụ: EL123456789VN</translation>
    </message>
    <message>
        <source>Returned:</source>
        <translation>Đã trả:</translation>
    </message>
    <message>
        <source>Tracking number:</source>
        <translation>Mã vận đơn:</translation>
    </message>
</context>
<context>
    <name>SafeOpen</name>
    <message>
        <source>Its content does not match its type, which is how harmful files disguise themselves.</source>
        <translation>Nội dung của tệp không khớp với loại tệp, đây là cách các tệp độc hại thường ngụy trang.</translation>
    </message>
    <message>
        <source>Files of type “%1” can run programs on this computer.</source>
        <translation>Tệp loại “%1” có thể chạy chương trình trên máy tính này.</translation>
    </message>
    <message>
        <source>“%1” will not be opened by the app.</source>
        <translation>Ứng dụng sẽ không mở “%1”.</translation>
    </message>
    <message>
        <source>You can save a copy and ask IT to check it before opening it.</source>
        <translation>Bạn có thể lưu một bản sao và nhờ bộ phận CNTT kiểm tra trước khi mở.</translation>
    </message>
    <message>
        <source>This file will not be opened</source>
        <translation>Tệp này sẽ không được mở</translation>
    </message>
    <message>
        <source>Save a copy…</source>
        <translation>Lưu một bản sao…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Save a copy</source>
        <translation>Lưu một bản sao</translation>
    </message>
</context>
<context>
    <name>Saved</name>
    <message>
        <source>Cannot open</source>
        <translation>Không mở được</translation>
    </message>
    <message>
        <source>No program on this computer can open %1. Ask your IT staff to install one.</source>
        <translation>Không có chương trình nào trên máy này mở được %1. Hãy nhờ cán bộ CNTT cài đặt.</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>Đã lưu</translation>
    </message>
    <message>
        <source>Saved — %1</source>
        <translation>Đã lưu — %1</translation>
    </message>
    <message>
        <source>&amp;Open file</source>
        <translation>&amp;Mở tệp</translation>
    </message>
    <message>
        <source>Show &amp;folder</source>
        <translation>Mở &amp;thư mục</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>Đó&amp;ng</translation>
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
    <name>SingleInstance</name>
    <message>
        <source>Already running</source>
        <translation>Ứng dụng đang chạy</translation>
    </message>
    <message>
        <source>The work-from-home app is already running; its window has been brought to the front.</source>
        <translation>Ứng dụng làm việc tại nhà đang chạy; cửa sổ của ứng dụng đã được đưa lên trước.</translation>
    </message>
</context>
<context>
    <name>Size</name>
    <message>
        <source>%1 B</source>
        <translation>%1 B</translation>
    </message>
    <message>
        <source>%1 KB</source>
        <translation>%1 KB</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
</context>
<context>
    <name>Slip</name>
    <message>
        <source>Step due: %1</source>
        <translation>Hạn bước: %1</translation>
    </message>
    <message>
        <source>Dossier code</source>
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
        <translation>Ngày tiếp nhận</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>Ngày hẹn trả</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>STT</translation>
    </message>
    <message>
        <source>AGENCY NAME / handing over — receiving</source>
        <translation>TÊN CƠ QUAN / người giao — người nhận</translation>
    </message>
    <message>
        <source>TIME OF HANDOVER</source>
        <translation>THỜI GIAN GIAO, NHẬN HỒ SƠ</translation>
    </message>
    <message>
        <source>RESULT (early / on time / late)</source>
        <translation>KẾT QUẢ GIẢI QUYẾT HỒ SƠ (trước hạn / đúng hạn / quá hạn)</translation>
    </message>
    <message>
        <source>NOTES</source>
        <translation>GHI CHÚ</translation>
    </message>
    <message>
        <source>PROCESS-CONTROL SLIP FOR DOSSIER HANDLING</source>
        <translation>PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ</translation>
    </message>
    <message>
        <source>(Form 05, Circular 01/2018/TT-VPCP)</source>
        <translation>(Mẫu số 05, Thông tư 01/2018/TT-VPCP)</translation>
    </message>
    <message>
        <source>day %1 month %2 year %3</source>
        <translation>ngày %1 tháng %2 năm %3</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>On %1, %2 received the dossier of Mr/Ms/organisation %3.</source>
        <translation>Ngày %1, %2 tiếp nhận hồ sơ của Ông/Bà/đơn vị %3.</translation>
    </message>
    <message>
        <source>However, %1 has not yet returned the result of the dossier to you.</source>
        <translation>Tuy nhiên đến nay, %1 chưa trả kết quả giải quyết hồ sơ của Ông/Bà/đơn vị.</translation>
    </message>
    <message>
        <source>This delay has caused you inconvenience. %1 sincerely apologises and will return the result on %2.</source>
        <translation>Sự chậm trễ này đã gây phiền hà cho Ông/Bà/đơn vị. %1 xin lỗi Ông/Bà/đơn vị và sẽ trả kết quả giải quyết hồ sơ vào %2.</translation>
    </message>
    <message>
        <source>SOCIALIST REPUBLIC OF VIETNAM</source>
        <extracomment>Vietnamese terms a line must not split (glued with no-break spaces in titles and headers)</extracomment>
        <translation>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</translation>
    </message>
    <message>
        <source>Independence - Freedom - Happiness</source>
        <translation>Độc lập - Tự do - Hạnh phúc</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Người giao</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Người nhận</translation>
    </message>
    <message>
        <source>No handover yet.</source>
        <translation>Chưa có lượt giao nhận.</translation>
    </message>
    <message>
        <source>HANDED OVER BY</source>
        <translation>NGƯỜI GIAO</translation>
    </message>
    <message>
        <source>OFFICER IN CHARGE</source>
        <translation>CÁN BỘ XỬ LÝ</translation>
    </message>
    <message>
        <source>RECEIVED BY</source>
        <translation>NGƯỜI NHẬN</translation>
    </message>
    <message>
        <source>(signature and full name)</source>
        <translation>(Ký và ghi rõ họ tên)</translation>
    </message>
    <message>
        <source>Dear</source>
        <translation>Kính gửi</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Nội dung yêu cầu giải quyết</translation>
    </message>
    <message>
        <source>Appointment to return the result</source>
        <translation>Thời gian hẹn trả kết quả giải quyết hồ sơ</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>HEAD OF THE AGENCY</source>
        <translation>THỦ TRƯỞNG CƠ QUAN</translation>
    </message>
    <message>
        <source>Thank you for your cooperation.</source>
        <translation>Xin trân trọng cảm ơn sự hợp tác của Ông/Bà/đơn vị./.</translation>
    </message>
    <message>
        <source>APOLOGY AND NEW APPOINTMENT FOR THE RESULT</source>
        <translation>PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ</translation>
    </message>
    <message>
        <source>(Form 04, Circular 01/2018/TT-VPCP)</source>
        <translation>(Mẫu số 04, Thông tư 01/2018/TT-VPCP)</translation>
    </message>
    <message>
        <source>After review, the dossier is not yet complete. Please supplement it with the following documents:</source>
        <translation>Sau khi xem xét, hồ sơ chưa đầy đủ. Đề nghị Ông/Bà/đơn vị bổ sung, hoàn thiện các giấy tờ sau:</translation>
    </message>
    <message>
        <source>The time limit restarts from the day the complete dossier is received. This request is made once: no other document will be asked for.</source>
        <translation>Thời hạn giải quyết được tính lại từ ngày nhận đủ hồ sơ. Yêu cầu này chỉ đưa ra một lần: không yêu cầu thêm giấy tờ nào khác.</translation>
    </message>
    <message>
        <source>Requested on %1 by %2.</source>
        <translation>Yêu cầu lúc %1, cán bộ %2.</translation>
    </message>
    <message>
        <source>REQUEST TO SUPPLEMENT AND COMPLETE THE DOSSIER</source>
        <translation>PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ</translation>
    </message>
    <message>
        <source>(Form 02, Circular 01/2018/TT-VPCP)</source>
        <translation>(Mẫu số 02, Thông tư 01/2018/TT-VPCP)</translation>
    </message>
    <message>
        <source>Head of %1</source>
        <translation>Lãnh đạo %1</translation>
    </message>
    <message>
        <source>One-stop desk</source>
        <translation>Bộ phận Một cửa</translation>
    </message>
    <message>
        <source>Head of the department</source>
        <translation>Lãnh đạo đơn vị</translation>
    </message>
</context>
<context>
    <name>StartReviewDialog</name>
    <message>
        <source>Start reviewing (thẩm định) this dossier. The process-control slip records the handover to you at this time.</source>
        <translation>Bắt đầu thẩm định hồ sơ này. Phiếu kiểm soát ghi nhận việc giao nhận cho bạn tại thời điểm này.</translation>
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
        <translation>Yêu cầu bổ sung hồ sơ</translation>
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
    <name>Step</name>
    <message>
        <source>Not assigned yet</source>
        <translation>Chưa phân công</translation>
    </message>
    <message>
        <source>Assigned to an officer</source>
        <translation>Đã phân công cán bộ</translation>
    </message>
    <message>
        <source>In review</source>
        <translation>Đang thẩm định</translation>
    </message>
    <message>
        <source>Submitted for approval</source>
        <translation>Đã trình ký</translation>
    </message>
    <message>
        <source>Returned for rework</source>
        <translation>Bị trả lại để xử lý lại</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>Đã phê duyệt</translation>
    </message>
    <message>
        <source>Waiting for the head&apos;s approval</source>
        <translation>Chờ lãnh đạo phê duyệt</translation>
    </message>
    <message>
        <source>Waiting to be assigned</source>
        <translation>Chờ phân công</translation>
    </message>
    <message>
        <source>Waiting for the applicant&apos;s fees</source>
        <translation>Chờ công dân nộp phí</translation>
    </message>
    <message>
        <source>Waiting for the applicant&apos;s documents</source>
        <translation>Chờ công dân bổ sung hồ sơ</translation>
    </message>
</context>
<context>
    <name>StopDialog</name>
    <message>
        <source>Stop processing the dossier. A refusal always carries its reason.</source>
        <translation>Dừng xử lý hồ sơ. Việc từ chối luôn phải nêu rõ lý do.</translation>
    </message>
</context>
<context>
    <name>SubmitForApprovalDialog</name>
    <message>
        <source>The proposed result, e.g. the draft decision or certificate to sign…</source>
        <translation>Kết quả đề xuất, ví dụ dự thảo quyết định hoặc giấy chứng nhận trình ký…</translation>
    </message>
    <message>
        <source>Grant (giải quyết)</source>
        <translation>Giải quyết</translation>
    </message>
    <message>
        <source>Refuse (từ chối)</source>
        <translation>Từ chối</translation>
    </message>
    <message>
        <source>Decision:</source>
        <translation>Đề xuất:</translation>
    </message>
    <message>
        <source>Proposed result:</source>
        <translation>Kết quả đề xuất:</translation>
    </message>
</context>
<context>
    <name>SupportBundleAction</name>
    <message>
        <source>Create &amp;support bundle...</source>
        <translation>Tạo &amp;gói hỗ trợ...</translation>
    </message>
    <message>
        <source>Save a ZIP file for IT support: logs, settings and checks, without passwords or citizens&apos; data</source>
        <translation>Lưu tệp ZIP cho bộ phận CNTT: nhật ký, cài đặt và kết quả kiểm tra, không có mật khẩu hay dữ liệu của công dân</translation>
    </message>
    <message>
        <source>Save support bundle</source>
        <translation>Lưu gói hỗ trợ</translation>
    </message>
    <message>
        <source>ZIP files (*.zip)</source>
        <translation>Tệp ZIP (*.zip)</translation>
    </message>
    <message>
        <source>The support bundle was saved as %1. Send this file to your IT support; it contains no passwords and no citizens&apos; data.</source>
        <translation>Đã lưu gói hỗ trợ thành %1. Hãy gửi tệp này cho bộ phận CNTT; tệp không chứa mật khẩu hay dữ liệu của công dân.</translation>
    </message>
    <message>
        <source>The support bundle could not be created: %1</source>
        <translation>Không tạo được gói hỗ trợ: %1</translation>
    </message>
    <message>
        <source>Support bundle</source>
        <translation>Gói hỗ trợ</translation>
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
    <name>TeamTableModel</name>
    <message>
        <source>Officer</source>
        <translation>Cán bộ</translation>
    </message>
    <message>
        <source>Last check-in</source>
        <translation>Điểm danh gần nhất</translation>
    </message>
    <message>
        <source>Done today</source>
        <translation>Đã điểm danh</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>Bỏ lỡ</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Kết nối</translation>
    </message>
    <message>
        <source>Open recalls</source>
        <translation>Triệu tập đang mở</translation>
    </message>
    <message>
        <source>Leave</source>
        <translation>Nghỉ phép</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>chưa có</translation>
    </message>
    <message>
        <source>(offline)</source>
        <translation>(khi mất mạng)</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <source>Offline (seen %1)</source>
        <translation>Ngoại tuyến (lần cuối %1)</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Ngoại tuyến</translation>
    </message>
    <message>
        <source>On leave now</source>
        <translation>Đang nghỉ phép</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>Lý do: %1</translation>
    </message>
    <message>
        <source>Made offline at %1, received %2</source>
        <translation>Điểm danh khi mất mạng lúc %1, nhận lúc %2</translation>
    </message>
    <message>
        <source>Missed windows: %1</source>
        <translation>Khung giờ bỏ lỡ: %1</translation>
    </message>
</context>
<context>
    <name>TeamView</name>
    <message>
        <source>Updated %1</source>
        <translation>Cập nhật %1</translation>
    </message>
    <message>
        <source>report by %1</source>
        <translation>có mặt trước %1</translation>
    </message>
    <message>
        <source>escalated</source>
        <translation>đã báo cấp trên</translation>
    </message>
    <message>
        <source>Team on call</source>
        <translation>Tình hình trực của nhóm</translation>
    </message>
    <message>
        <source>Your department today</source>
        <translation>Đơn vị của bạn hôm nay</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Làm mới</translation>
    </message>
    <message>
        <source>&amp;Recall…</source>
        <translation>&amp;Triệu tập…</translation>
    </message>
    <message>
        <source>Recall the selected officers to the office</source>
        <translation>Triệu tập các cán bộ đã chọn về cơ quan</translation>
    </message>
    <message>
        <source>Open recalls</source>
        <translation>Triệu tập đang mở</translation>
    </message>
    <message>
        <source>Recall / person</source>
        <translation>Triệu tập / người</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Sent · message</source>
        <translation>Gửi lúc · nội dung</translation>
    </message>
    <message>
        <source>C&amp;lose recall</source>
        <translation>Đó&amp;ng triệu tập</translation>
    </message>
    <message>
        <source>Leave requests waiting for you</source>
        <translation>Đơn nghỉ phép chờ bạn duyệt</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>Cán bộ</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>&amp;Approve</source>
        <translation>&amp;Duyệt</translation>
    </message>
    <message>
        <source>Re&amp;ject</source>
        <translation>Từ &amp;chối</translation>
    </message>
</context>
<context>
    <name>TimelineTable</name>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Người giao</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Người nhận / bước tiếp theo</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Nội dung xử lý</translation>
    </message>
    <message>
        <source>Step due</source>
        <translation>Hạn bước</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Kết quả</translation>
    </message>
    <message>
        <source>(waiting to sync)</source>
        <translation>(đang chờ đồng bộ)</translation>
    </message>
</context>
<context>
    <name>Timeliness</name>
    <message>
        <source>early</source>
        <translation>trước hạn</translation>
    </message>
    <message>
        <source>on time</source>
        <translation>đúng hạn</translation>
    </message>
    <message>
        <source>late</source>
        <translation>quá hạn</translation>
    </message>
</context>
<context>
    <name>TodayDialog</name>
    <message>
        <source>No check-in windows today (a day off, or the department&apos;s policy is not loaded yet).</source>
        <translation>Hôm nay không có khung giờ điểm danh (ngày nghỉ, hoặc chưa tải được quy định của đơn vị).</translation>
    </message>
    <message>
        <source>%1 of %2 windows done, %3 missed.</source>
        <translation>Đã điểm danh %1/%2 khung giờ, bỏ lỡ %3.</translation>
    </message>
    <message>
        <source>Check-ins waiting to be sent (made offline): %1. They are sent when the server can be reached.</source>
        <translation>Điểm danh đang chờ gửi (làm khi mất mạng): %1. Sẽ được gửi khi kết nối được máy chủ.</translation>
    </message>
    <message>
        <source>Today&apos;s check-ins</source>
        <translation>Điểm danh hôm nay</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Khung giờ</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Check in &amp;now…</source>
        <translation>Điểm danh &amp;ngay…</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>Đón&amp;g</translation>
    </message>
    <message>
        <source>Do not disturb only hides the prompts: a window without a check-in still counts as missed.</source>
        <translation>Chế độ không làm phiền chỉ ẩn lời nhắc: khung giờ không điểm danh vẫn bị tính là bỏ lỡ.</translation>
    </message>
</context>
<context>
    <name>TrayController</name>
    <message>
        <source>Work from home — one-stop shop</source>
        <translation>Làm việc tại nhà — Bộ phận Một cửa</translation>
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
<context>
    <name>UpdateBanner</name>
    <message>
        <source>your IT support</source>
        <translation>bộ phận CNTT của cơ quan</translation>
    </message>
    <message>
        <source>This version (%1) is older than the server accepts (%2): you will not be able to sign in again until it is updated. Contact %3.</source>
        <translation>Phiên bản này (%1) cũ hơn mức máy chủ chấp nhận (%2): bạn sẽ không đăng nhập lại được cho đến khi cập nhật. Hãy liên hệ %3.</translation>
    </message>
    <message>
        <source>A newer version (%2) is available; you have %1. Ask %3 to update this computer.</source>
        <translation>Đã có phiên bản mới (%2); bạn đang dùng %1. Hãy nhờ %3 cập nhật máy tính này.</translation>
    </message>
</context>
<context>
    <name>_ReasonDialog</name>
    <message>
        <source>Reason:</source>
        <translation>Lý do:</translation>
    </message>
    <message>
        <source>Comment:</source>
        <translation>Ý kiến:</translation>
    </message>
</context>
</TS>
