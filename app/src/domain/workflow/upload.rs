//! Checking an uploaded file before it is stored: its size, its name, a content type the
//! office accepts, and bytes that really are of that type (a renamed executable declared as
//! a PDF is refused). Every problem is reported at once, per field.

use super::form::{ALLOWED_CONTENT_TYPES, MAX_FILE_BYTES};
use super::refusal::reason;
use crate::domain::lang::Text;
use crate::error::FieldError;

/// The content type an upload is stored under (normalised: lower case, without parameters).
pub fn check_upload(name: &str, declared: &str, bytes: &[u8]) -> Result<String, Vec<FieldError>> {
    let mut reasons = Vec::new();
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 255 || name.contains(['/', '\\', '\0']) {
        reasons.push(reason(
            "name",
            "invalid_name",
            Text::new(
                "文件名须为 1–255 个字符,且不含路径分隔符。",
                "The file name must be 1–255 characters without path separators.",
            ),
        ));
    }
    let mb = MAX_FILE_BYTES / 1024 / 1024;
    if bytes.is_empty() || bytes.len() as u64 > MAX_FILE_BYTES {
        reasons.push(reason(
            "file",
            "size",
            Text::new(
                format!("文件大小须在 1 字节到 {mb} MB 之间。"),
                format!("The file must be between 1 byte and {mb} MB."),
            ),
        ));
    }
    let ct = declared
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if !ALLOWED_CONTENT_TYPES.contains(&ct.as_str()) {
        reasons.push(reason(
            "content_type",
            "not_accepted",
            Text::new(
                format!("不接受“{declared}”类型的文件(可上传 PDF、Office 文档、图片、文本、ZIP)。"),
                format!("Files of type \"{declared}\" are not accepted (PDF, Office documents, images, text and ZIP are)."),
            ),
        ));
    } else if !bytes.is_empty() && !content_matches(&ct, bytes) {
        reasons.push(reason(
            "content_type",
            "content_mismatch",
            Text::new(
                format!("文件内容不是所声明的“{ct}”类型。"),
                format!("The file's content is not of the declared type \"{ct}\"."),
            ),
        ));
    }
    if reasons.is_empty() {
        Ok(ct)
    } else {
        Err(reasons)
    }
}

const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn is_zip(b: &[u8]) -> bool {
    b.starts_with(b"PK\x03\x04") || b.starts_with(b"PK\x05\x06")
}

/// Whether the bytes begin as files of `content_type` do (their magic numbers); text must
/// hold no NUL byte in its first 8 KiB.
fn content_matches(content_type: &str, b: &[u8]) -> bool {
    match content_type {
        "application/pdf" => b.starts_with(b"%PDF-"),
        "application/msword" | "application/vnd.ms-excel" | "application/vnd.ms-powerpoint" => {
            b.starts_with(OLE)
        }
        "application/zip"
        | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        | "application/vnd.openxmlformats-officedocument.presentationml.presentation" => is_zip(b),
        "image/png" => b.starts_with(b"\x89PNG\r\n\x1a\n"),
        "image/jpeg" => b.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/gif" => b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a"),
        "image/webp" => b.len() >= 12 && b.starts_with(b"RIFF") && &b[8..12] == b"WEBP",
        "text/plain" | "text/csv" => !b[..b.len().min(8192)].contains(&0),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(r: Result<String, Vec<FieldError>>) -> Vec<String> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| format!("{}:{}", e.field, e.code))
            .collect()
    }

    #[test]
    fn accepted_types_with_matching_bytes_pass_and_are_normalised() {
        assert_eq!(
            check_upload(
                "纪要.pdf",
                "Application/PDF; charset=binary",
                b"%PDF-1.7\n..."
            )
            .unwrap(),
            "application/pdf"
        );
        let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        assert_eq!(
            check_upload("a.docx", docx, b"PK\x03\x04rest").unwrap(),
            docx
        );
        assert!(check_upload("a.png", "image/png", b"\x89PNG\r\n\x1a\n....").is_ok());
        assert!(check_upload("a.txt", "text/plain", "进展报告".as_bytes()).is_ok());
        assert!(check_upload("a.webp", "image/webp", b"RIFF\0\0\0\0WEBPVP8 ").is_ok());
    }

    #[test]
    fn a_renamed_executable_is_refused_as_a_content_mismatch() {
        assert_eq!(
            codes(check_upload(
                "report.pdf",
                "application/pdf",
                b"MZ\x90\0\x03"
            )),
            ["content_type:content_mismatch"]
        );
        assert_eq!(
            codes(check_upload("a.txt", "text/plain", b"ab\0cd")),
            ["content_type:content_mismatch"]
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        assert_eq!(
            codes(check_upload("../x", "application/x-msdownload", b"")),
            [
                "name:invalid_name",
                "file:size",
                "content_type:not_accepted"
            ]
        );
        let big = vec![b'a'; MAX_FILE_BYTES as usize + 1];
        assert_eq!(
            codes(check_upload("a.txt", "text/plain", &big)),
            ["file:size"]
        );
    }
}
