use super::*;
pub(super) fn cases() -> Vec<Case> {
    vec![Case { mode: b'f', format: b"%d|%5.2f|%v|%q", args: vec![int(5), f64v(3.14159), s("x"), s("a\n")], want: b"5| 3.14|x|\"a\\n\"" }]
}
