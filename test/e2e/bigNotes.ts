/** Q&A notes of about `bytes` bytes in the seed's format, every entry with its own term (`${en} Term ${i}`). */
export function bigNotes(bytes: number, zh: string, en: string): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const entry = `> 第 ${i} 个${zh}问题是什么？\n\n**${zh}术语${i}（${en} Term ${i}）** 是一个很长的答案，写满了说明文字，用来撑大文件。${'这是填充的句子。'.repeat(20)}\n\n`;
    parts.push(entry);
    size += Buffer.byteLength(entry);
  }
  return parts.join('');
}
