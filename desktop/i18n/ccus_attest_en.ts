<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="ja_JP">
<context>
    <name></name>
    <message>
        <source>ここに入力（{n}文字まで）</source>
        <translation>Type here (up to {n} characters)</translation>
    </message>
    <message>
        <source>日付なし（例: 2026-04-01）</source>
        <translation>No date (e.g. 2026-04-01)</translation>
    </message>
    <message>
        <source>カレンダー</source>
        <translation>Calendar</translation>
    </message>
    <message>
        <source>（選択してください）</source>
        <translation>(Please choose)</translation>
    </message>
    <message>
        <source>出典: {source}</source>
        <translation>Source: {source}</translation>
    </message>
    <message>
        <source>証跡を添付…</source>
        <translation>Attach evidence…</translation>
    </message>
    <message>
        <source>必須</source>
        <translation>Required</translation>
    </message>
    <message>
        <source>任意</source>
        <translation>Optional</translation>
    </message>
    <message>
        <source>基準を満たしていません</source>
        <translation>Does not meet the criterion</translation>
    </message>
    <message>
        <source>要対応</source>
        <translation>Needs attention</translation>
    </message>
    <message>
        <source>未回答</source>
        <translation>Not answered</translation>
    </message>
    <message>
        <source>回答済み</source>
        <translation>Answered</translation>
    </message>
    <message>
        <source>備考（必須: 理由と是正の計画・期日）</source>
        <translation>Note (required: reason, remediation plan and date)</translation>
    </message>
    <message>
        <source>備考（任意）</source>
        <translation>Note (optional)</translation>
    </message>
    <message>
        <source>証跡 {n} 件添付済み</source>
        <translation>{n} evidence file(s) attached</translation>
    </message>
    <message>
        <source>証跡が必要です</source>
        <translation>Evidence is required</translation>
    </message>
    <message>
        <source>証跡（任意）</source>
        <translation>Evidence (optional)</translation>
    </message>
    <message>
        <source>受け付ける種類: {kinds}</source>
        <translation>Accepted kinds: {kinds}</translation>
    </message>
    <message>
        <source>日付として読み取れません。2026-04-01 や 2026年4月1日 の形で入力してください。保存されていません。</source>
        <translation>This is not a date. Enter it like 2026-04-01 or 2026/4/1. It has not been saved.</translation>
    </message>
    <message>
        <source>数値として保存できません。{low}〜{high} の範囲の整数で入力してください。</source>
        <translation>This number cannot be saved. Enter a whole number from {low} to {high}.</translation>
    </message>
    <message>
        <source>数値として保存できません。{low}〜{high} の範囲で入力してください。</source>
        <translation>This number cannot be saved. Enter a number from {low} to {high}.</translation>
    </message>
    <message>
        <source>この文章は保存できません（{n}文字まで、制御文字は使えません）。</source>
        <translation>This text cannot be saved (at most {n} characters, no control characters).</translation>
    </message>
    <message>
        <source>この値は保存できません。</source>
        <translation>This value cannot be saved.</translation>
    </message>
    <message>
        <source>証跡ファイル (*.pdf *.png *.jpg *.jpeg *.gif *.bmp *.webp *.txt *.csv *.xlsx *.docx *.zip);;すべてのファイル (*)</source>
        <translation>Evidence files (*.pdf *.png *.jpg *.jpeg *.gif *.bmp *.webp *.txt *.csv *.xlsx *.docx *.zip);;All files (*)</translation>
    </message>
    <message>
        <source>ロック</source>
        <translation>Lock</translation>
    </message>
    <message>
        <source>ワークスペースを閉じる</source>
        <translation>Close workspace</translation>
    </message>
    <message>
        <source>設定…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <source>終了</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>元に戻す</source>
        <translation>Undo</translation>
    </message>
    <message>
        <source>やり直す</source>
        <translation>Redo</translation>
    </message>
    <message>
        <source>検索</source>
        <translation>Find</translation>
    </message>
    <message>
        <source>ダッシュボード</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>次のセクション</source>
        <translation>Next section</translation>
    </message>
    <message>
        <source>前のセクション</source>
        <translation>Previous section</translation>
    </message>
    <message>
        <source>証跡を追加…</source>
        <translation>Add evidence…</translation>
    </message>
    <message>
        <source>証跡をプレビュー</source>
        <translation>Preview evidence</translation>
    </message>
    <message>
        <source>CCUS Attest について</source>
        <translation>About CCUS Attest</translation>
    </message>
    <message>
        <source>ファイル(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>書き出し</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>編集(&amp;E)</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>表示(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>表示言語</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>証跡(&amp;D)</source>
        <translation>Evi&amp;dence</translation>
    </message>
    <message>
        <source>ヘルプ(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>パスフレーズが違います</source>
        <translation>Wrong passphrase</translation>
    </message>
    <message>
        <source>入力したパスフレーズではこのワークスペースを開けませんでした。</source>
        <translation>The passphrase you entered does not open this workspace.</translation>
    </message>
    <message>
        <source>大文字と小文字、全角と半角、Caps Lock を確かめて、もう一度入力してください。</source>
        <translation>Check upper and lower case, full-width and half-width characters and Caps Lock, then try again.</translation>
    </message>
    <message>
        <source>ワークスペースは使用中です</source>
        <translation>Workspace in use</translation>
    </message>
    <message>
        <source>このワークスペースは別のウィンドウまたは別のプログラムで開かれています。</source>
        <translation>This workspace is open in another window or program.</translation>
    </message>
    <message>
        <source>そちらを閉じてから、もう一度開いてください。</source>
        <translation>Close it there, then open it again.</translation>
    </message>
    <message>
        <source>フォルダーが空ではありません</source>
        <translation>Folder is not empty</translation>
    </message>
    <message>
        <source>選んだフォルダーにはすでにファイルがあるため、ワークスペースを作成できません。</source>
        <translation>The chosen folder already contains files, so a workspace cannot be created there.</translation>
    </message>
    <message>
        <source>新しいフォルダー名を指定するか、空のフォルダーを選んでください。</source>
        <translation>Enter a new folder name or choose an empty folder.</translation>
    </message>
    <message>
        <source>ワークスペースではありません</source>
        <translation>Not a workspace</translation>
    </message>
    <message>
        <source>選んだフォルダーは CCUS Attest のワークスペースではないか、読み取れません。</source>
        <translation>The chosen folder is not a CCUS Attest workspace, or it cannot be read.</translation>
    </message>
    <message>
        <source>attest.db が入っているフォルダーを選んでください。</source>
        <translation>Choose the folder that contains attest.db.</translation>
    </message>
    <message>
        <source>このワークスペースは開けません</source>
        <translation>This workspace cannot be opened</translation>
    </message>
    <message>
        <source>新しい版の CCUS Attest で作成されたか、対応していない設定を使っています。</source>
        <translation>It was made by a newer version of CCUS Attest or uses settings this version does not support.</translation>
    </message>
    <message>
        <source>最新版の CCUS Attest で開いてください。</source>
        <translation>Open it with the latest version of CCUS Attest.</translation>
    </message>
    <message>
        <source>データが破損しています</source>
        <translation>Data is damaged</translation>
    </message>
    <message>
        <source>ワークスペースの一部が壊れているか、外部から書き換えられています。</source>
        <translation>Part of the workspace is damaged or was changed outside the app.</translation>
    </message>
    <message>
        <source>バックアップから復元してください。原因が分からない場合は管理者に相談してください。</source>
        <translation>Restore it from a backup. If you do not know the cause, ask your administrator.</translation>
    </message>
    <message>
        <source>パスフレーズが短すぎます</source>
        <translation>Passphrase too short</translation>
    </message>
    <message>
        <source>パスフレーズは8文字以上にしてください。</source>
        <translation>The passphrase must have at least 8 characters.</translation>
    </message>
    <message>
        <source>覚えやすい複数の単語を組み合わせると、長くても忘れにくくなります。</source>
        <translation>Several words you can remember make a long passphrase that is still easy to recall.</translation>
    </message>
    <message>
        <source>同じファイルが添付済みです</source>
        <translation>File already attached</translation>
    </message>
    <message>
        <source>このファイルはすでにこの設問に添付されています。</source>
        <translation>This file is already attached to this item.</translation>
    </message>
    <message>
        <source>別のファイルを選ぶか、添付済みの証跡の情報を編集してください。</source>
        <translation>Choose another file, or edit the details of the evidence already attached.</translation>
    </message>
    <message>
        <source>証跡が見つかりません</source>
        <translation>Evidence not found</translation>
    </message>
    <message>
        <source>この証跡はすでに削除されています。</source>
        <translation>This evidence has already been removed.</translation>
    </message>
    <message>
        <source>一覧を確認してください。</source>
        <translation>Check the list.</translation>
    </message>
    <message>
        <source>証跡を追加できません</source>
        <translation>Cannot add evidence</translation>
    </message>
    <message>
        <source>ファイルを読み取れないか、証跡の情報に誤りがあります。</source>
        <translation>The file cannot be read, or the evidence details are wrong.</translation>
    </message>
    <message>
        <source>ファイルと入力した日付を確かめて、もう一度お試しください。</source>
        <translation>Check the file and the dates you entered, then try again.</translation>
    </message>
    <message>
        <source>中止しました</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>処理を中止しました。何も変更されていません。</source>
        <translation>The operation was cancelled. Nothing was changed.</translation>
    </message>
    <message>
        <source>ワークスペースの操作に失敗しました</source>
        <translation>Workspace operation failed</translation>
    </message>
    <message>
        <source>ワークスペースの読み書き中に問題が発生しました。</source>
        <translation>A problem occurred while reading or writing the workspace.</translation>
    </message>
    <message>
        <source>ディスクの空き容量とフォルダーの権限を確かめて、もう一度お試しください。</source>
        <translation>Check the free disk space and the folder permissions, then try again.</translation>
    </message>
    <message>
        <source>回答を保存できません</source>
        <translation>Cannot save the answer</translation>
    </message>
    <message>
        <source>入力した値はこの設問の回答として使えません。</source>
        <translation>The value entered cannot be used as an answer to this item.</translation>
    </message>
    <message>
        <source>設問の形式（日付、数値の範囲、文字数）に合わせて入力し直してください。</source>
        <translation>Enter it again in the form the item expects (date, number range, length).</translation>
    </message>
    <message>
        <source>設問が見つかりません</source>
        <translation>Item not found</translation>
    </message>
    <message>
        <source>指定された設問はこのワークスペースの調査票にありません。</source>
        <translation>This item is not in this workspace&apos;s questionnaire.</translation>
    </message>
    <message>
        <source>調査票テンプレートに誤りがあります</source>
        <translation>The questionnaire template has an error</translation>
    </message>
    <message>
        <source>調査票テンプレートを読み込めませんでした。</source>
        <translation>The questionnaire template could not be loaded.</translation>
    </message>
    <message>
        <source>テンプレートの提供元に連絡してください。</source>
        <translation>Contact whoever provided the template.</translation>
    </message>
    <message>
        <source>ファイルを読み書きできません</source>
        <translation>Cannot read or write the file</translation>
    </message>
    <message>
        <source>ファイルまたはフォルダーにアクセスできませんでした。</source>
        <translation>A file or folder could not be accessed.</translation>
    </message>
    <message>
        <source>場所と権限、ディスクの空き容量を確かめてください。</source>
        <translation>Check the location, the permissions and the free disk space.</translation>
    </message>
    <message>
        <source>操作を完了できません</source>
        <translation>Cannot complete the operation</translation>
    </message>
    <message>
        <source>入力またはファイルに問題があります。</source>
        <translation>There is a problem with the input or the file.</translation>
    </message>
    <message>
        <source>詳細を確認して、もう一度お試しください。</source>
        <translation>Check the details and try again.</translation>
    </message>
    <message>
        <source>予期しないエラー</source>
        <translation>Unexpected error</translation>
    </message>
    <message>
        <source>予期しないエラーが発生しました。入力済みの回答は保存されています。</source>
        <translation>An unexpected error occurred. The answers you entered have been saved.</translation>
    </message>
    <message>
        <source>アプリを再起動してください。繰り返し起きる場合は、ログファイルを添えてサポートに連絡してください。</source>
        <translation>Restart the app. If it happens again, contact support and include the log file.</translation>
    </message>
    <message>
        <source>記録したログファイル: {path}</source>
        <translation>Log file written: {path}</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>種類</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>有効期限</source>
        <translation>Expiry date</translation>
    </message>
    <message>
        <source>サイズ</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>期限なし</source>
        <translation>No expiry</translation>
    </message>
    <message>
        <source>（期限切れ）</source>
        <translation> (expired)</translation>
    </message>
    <message>
        <source>（まもなく期限）</source>
        <translation> (expires soon)</translation>
    </message>
    <message>
        <source>発行者: {v}</source>
        <translation>Issuer: {v}</translation>
    </message>
    <message>
        <source>番号: {v}</source>
        <translation>Number: {v}</translation>
    </message>
    <message>
        <source>発行日: {v}</source>
        <translation>Issued: {v}</translation>
    </message>
</context>
<context>
    <name>CreateWorkspaceDialog</name>
    <message>
        <source>新しいワークスペースを作成</source>
        <translation>Create a new workspace</translation>
    </message>
    <message>
        <source>回答と証跡は、ここで決めるパスフレーズで暗号化して保存されます。</source>
        <translation>Answers and evidence are stored encrypted with the passphrase you choose here.</translation>
    </message>
    <message>
        <source>参照…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>保存先フォルダー</source>
        <translation>Folder</translation>
    </message>
    <message>
        <source>例: 株式会社サンプルシステム</source>
        <translation>e.g. Sample Systems Co., Ltd.</translation>
    </message>
    <message>
        <source>事業者名</source>
        <translation>Vendor name</translation>
    </message>
    <message>
        <source>パスフレーズ</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>強度</source>
        <translation>Strength</translation>
    </message>
    <message>
        <source>パスフレーズ（確認）</source>
        <translation>Passphrase (again)</translation>
    </message>
    <message>
        <source>パスフレーズを忘れると、ワークスペースの回答と証跡は誰にも復元できません（開発元にもできません）。パスフレーズを保存する仕組みはありません。紙に書いて鍵のかかる場所に保管するなど、確実に控えてください。</source>
        <translation>If you forget the passphrase, nobody can recover the answers and evidence in the workspace — not even the developers. The passphrase is not stored anywhere. Write it down and keep it in a locked place, or record it safely in another way.</translation>
    </message>
    <message>
        <source>理解しました。パスフレーズは自分で確実に保管します。</source>
        <translation>I understand. I will keep the passphrase safe myself.</translation>
    </message>
    <message>
        <source>作成</source>
        <translation>Create</translation>
    </message>
    <message>
        <source>ワークスペースを作成するフォルダー</source>
        <translation>Folder for the new workspace</translation>
    </message>
    <message>
        <source>とても弱い</source>
        <translation>Very weak</translation>
    </message>
    <message>
        <source>弱い</source>
        <translation>Weak</translation>
    </message>
    <message>
        <source>普通</source>
        <translation>Fair</translation>
    </message>
    <message>
        <source>強い</source>
        <translation>Strong</translation>
    </message>
    <message>
        <source>とても強い</source>
        <translation>Very strong</translation>
    </message>
    <message>
        <source>{n}文字以上。複数の単語を組み合わせると覚えやすく強くなります。</source>
        <translation>At least {n} characters. Several words together are easy to remember and strong.</translation>
    </message>
    <message>
        <source>短すぎます（{n}文字以上必要です）</source>
        <translation>Too short (at least {n} characters)</translation>
    </message>
    <message>
        <source>確認用のパスフレーズが一致しません。</source>
        <translation>The two passphrases do not match.</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <source>ダッシュボード</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>セクション別の進み具合</source>
        <translation>Progress by section</translation>
    </message>
    <message>
        <source>問題をクリックすると、その設問へ移動します。</source>
        <translation>Click a problem to go to its item.</translation>
    </message>
    <message>
        <source>必須項目 {done} / {total} 件が完了（{pct}%）</source>
        <translation>{done} of {total} required items complete ({pct}%)</translation>
    </message>
    <message>
        <source>提出を妨げる問題はありません。書き出しの準備ができています。</source>
        <translation>Nothing blocks the submission. Ready to export.</translation>
    </message>
    <message>
        <source>提出の前に解決が必要な問題が {n} 件あります。</source>
        <translation>{n} problem(s) must be resolved before submitting.</translation>
    </message>
    <message>
        <source>問題の一覧 — 要対応 {b} 件、注意 {w} 件</source>
        <translation>Problems — {b} to resolve, {w} warning(s)</translation>
    </message>
</context>
<context>
    <name>EvidenceMetaDialog</name>
    <message>
        <source>証跡の情報</source>
        <translation>Evidence details</translation>
    </message>
    <message>
        <source>{item}: {file}</source>
        <translation>{item}: {file}</translation>
    </message>
    <message>
        <source>種類</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>例: ISMS 認証登録証</source>
        <translation>e.g. ISMS certificate</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>例: 一般財団法人日本品質保証機構</source>
        <translation>e.g. Japan Quality Assurance Organization</translation>
    </message>
    <message>
        <source>発行者</source>
        <translation>Issuer</translation>
    </message>
    <message>
        <source>番号</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>発行日あり</source>
        <translation>Has an issue date</translation>
    </message>
    <message>
        <source>発行日</source>
        <translation>Issue date</translation>
    </message>
    <message>
        <source>有効期限あり</source>
        <translation>Has an expiry date</translation>
    </message>
    <message>
        <source>有効期限</source>
        <translation>Expiry date</translation>
    </message>
    <message>
        <source>有効期限が発行日より前になっています。</source>
        <translation>The expiry date is before the issue date.</translation>
    </message>
</context>
<context>
    <name>EvidencePanel</name>
    <message>
        <source>証跡</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <source>追加…</source>
        <translation>Add…</translation>
    </message>
    <message>
        <source>情報を編集…</source>
        <translation>Edit details…</translation>
    </message>
    <message>
        <source>プレビュー</source>
        <translation>Preview</translation>
    </message>
    <message>
        <source>コピーを保存…</source>
        <translation>Save a copy…</translation>
    </message>
    <message>
        <source>削除…</source>
        <translation>Remove…</translation>
    </message>
    <message>
        <source>{item} の証跡</source>
        <translation>Evidence for {item}</translation>
    </message>
    <message>
        <source>設問を選ぶと、その設問の証跡がここに表示されます。</source>
        <translation>Select an item to see its evidence here.</translation>
    </message>
    <message>
        <source>証跡はまだありません。「追加…」を押すか、ファイルをここにドラッグしてください。</source>
        <translation>No evidence yet. Press &quot;Add…&quot; or drag files here.</translation>
    </message>
    <message>
        <source>この設問には証跡の指定はありませんが、必要に応じて添付できます。</source>
        <translation>This item does not ask for evidence, but you can attach some if useful.</translation>
    </message>
    <message>
        <source>証跡ファイルを選択</source>
        <translation>Choose evidence files</translation>
    </message>
    <message>
        <source>{name} を暗号化しています…</source>
        <translation>Encrypting {name}…</translation>
    </message>
    <message>
        <source>復号したコピーの保存先</source>
        <translation>Save the decrypted copy as</translation>
    </message>
    <message>
        <source>復号したコピーを保存しました: {path}</source>
        <translation>Decrypted copy saved: {path}</translation>
    </message>
    <message>
        <source>{name} を復号して保存しています…</source>
        <translation>Decrypting and saving {name}…</translation>
    </message>
    <message>
        <source>証跡の削除</source>
        <translation>Remove evidence</translation>
    </message>
    <message>
        <source>「{name}」を {item} から削除しますか？
暗号化して保存されたファイルもワークスペースから消え、元に戻せません。</source>
        <translation>Remove &quot;{name}&quot; from {item}?
The encrypted file is deleted from the workspace too; this cannot be undone.</translation>
    </message>
    <message>
        <source>削除</source>
        <translation>Remove</translation>
    </message>
</context>
<context>
    <name>LockPage</name>
    <message>
        <source>ロックされています</source>
        <translation>Locked</translation>
    </message>
    <message>
        <source>「{name}」は一定時間操作がなかったか、手動でロックされました。暗号鍵はメモリから消去されています。続けるにはパスフレーズを入力してください。</source>
        <translation>&quot;{name}&quot; was locked after a period without activity, or by hand. The encryption keys have been wiped from memory. Enter the passphrase to continue.</translation>
    </message>
    <message>
        <source>ロック解除</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>ワークスペースを閉じる</source>
        <translation>Close workspace</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>設問を検索（文言・ID・出典）  Ctrl+F</source>
        <translation>Search items (text, ID, source)  Ctrl+F</translation>
    </message>
    <message>
        <source>すべての設問</source>
        <translation>All items</translation>
    </message>
    <message>
        <source>未回答</source>
        <translation>Not answered</translation>
    </message>
    <message>
        <source>要対応（提出を妨げる問題）</source>
        <translation>Needs attention (blocks submission)</translation>
    </message>
    <message>
        <source>証跡が不足</source>
        <translation>Evidence missing</translation>
    </message>
    <message>
        <source>証跡の期限切れ・期限間近</source>
        <translation>Evidence expired or expiring</translation>
    </message>
    <message>
        <source>検索結果: {n} 件</source>
        <translation>Search results: {n}</translation>
    </message>
    <message>
        <source> [ロック中]</source>
        <translation> [locked]</translation>
    </message>
    <message>
        <source>ロック中 — 内容は暗号化されたまま保存されています</source>
        <translation>Locked — the contents stay encrypted on disk</translation>
    </message>
    <message>
        <source>変更はすべて自動的に暗号化して保存されます</source>
        <translation>Every change is encrypted and saved automatically</translation>
    </message>
    <message>
        <source>自動保存しました（{time}）</source>
        <translation>Saved automatically ({time})</translation>
    </message>
    <message>
        <source>完了 {done}/{total}（{pct}%）・要対応 {n} 件</source>
        <translation>Complete {done}/{total} ({pct}%) · {n} to resolve</translation>
    </message>
    <message>
        <source>CCUS Attest について</source>
        <translation>About CCUS Attest</translation>
    </message>
    <message>
        <source>CCUS Attest — 建設キャリアアップシステム 標準API連携認定の調査票と証跡を、暗号化して準備・提出するためのアプリです。データはこのコンピューターの外に送信されません。</source>
        <translation>CCUS Attest prepares and submits, encrypted, the survey and evidence for the CCUS (Construction Career Up System) standard-API certification. No data leaves this computer.</translation>
    </message>
    <message>
        <source>処理中</source>
        <translation>Busy</translation>
    </message>
    <message>
        <source>証跡の暗号化または保存が終わるまでお待ちください。キャンセルもできます。</source>
        <translation>Please wait until the evidence has been encrypted or saved. You can also cancel it.</translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <source>プレビュー — {name}</source>
        <translation>Preview — {name}</translation>
    </message>
    <message>
        <source>復号しています…</source>
        <translation>Decrypting…</translation>
    </message>
    <message>
        <source>PDF 全 {pages} ページ中、先頭 {shown} ページを表示しています。</source>
        <translation>Showing the first {shown} of {pages} PDF page(s).</translation>
    </message>
    <message>
        <source>画像 {w} × {h} ピクセル</source>
        <translation>Image {w} × {h} pixels</translation>
    </message>
    <message>
        <source>テキストファイルの内容</source>
        <translation>Contents of the text file</translation>
    </message>
    <message>
        <source>この形式のファイルはアプリ内でプレビューできません。内容を確かめるには「コピーを保存…」で保存してから開いてください。</source>
        <translation>Files of this type cannot be previewed in the app. To check the contents, use &quot;Save a copy…&quot; and open the copy.</translation>
    </message>
    <message>
        <source>プレビューできません: {what}</source>
        <translation>Cannot preview: {what}</translation>
    </message>
</context>
<context>
    <name>SectionForm</name>
    <message>
        <source>条件に合う設問はありません。</source>
        <translation>No items match.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>設定</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>自動ロックしない</source>
        <translation>Never lock automatically</translation>
    </message>
    <message>
        <source>{n} 分間操作がないとき</source>
        <translation>After {n} minute(s) without activity</translation>
    </message>
    <message>
        <source>{n} 秒間操作がないとき</source>
        <translation>After {n} second(s) without activity</translation>
    </message>
    <message>
        <source>自動ロック</source>
        <translation>Auto-lock</translation>
    </message>
    <message>
        <source>表示言語</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>ロックすると暗号鍵がメモリから消え、再開にはパスフレーズが必要です。</source>
        <translation>Locking wipes the encryption keys from memory; the passphrase is needed to continue.</translation>
    </message>
</context>
<context>
    <name>Tasks</name>
    <message>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>Undo</name>
    <message>
        <source>{item} の回答</source>
        <translation>answer to {item}</translation>
    </message>
</context>
<context>
    <name>UnlockPanel</name>
    <message>
        <source>パスフレーズ</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>パスフレーズを確認しています…</source>
        <translation>Checking the passphrase…</translation>
    </message>
</context>
<context>
    <name>WelcomeWindow</name>
    <message>
        <source>建設キャリアアップシステム 標準API連携認定 — 調査票と証跡の準備</source>
        <translation>CCUS standard-API certification — survey and evidence preparation</translation>
    </message>
    <message>
        <source>表示言語</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>最近使ったワークスペース</source>
        <translation>Recent workspaces</translation>
    </message>
    <message>
        <source>ワークスペースを開く</source>
        <translation>Open a workspace</translation>
    </message>
    <message>
        <source>開く</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>新しいワークスペースを作成…</source>
        <translation>Create a new workspace…</translation>
    </message>
    <message>
        <source>フォルダーを選んで開く…</source>
        <translation>Open a folder…</translation>
    </message>
    <message>
        <source>フォルダーが見つかりません: {path}</source>
        <translation>Folder not found: {path}</translation>
    </message>
    <message>
        <source>パスフレーズを入力して「開く」を押してください。回答と証跡はこのコンピューターの中で暗号化されたまま保存され、一定時間操作がないと自動的にロックされます。</source>
        <translation>Enter the passphrase and press Open. Answers and evidence stay encrypted on this computer, and the workspace locks itself after a period without activity.</translation>
    </message>
    <message>
        <source>まだワークスペースがありません。「新しいワークスペースを作成…」から始めてください。既存のワークスペースは「フォルダーを選んで開く…」で開けます。</source>
        <translation>No workspace yet. Start with &quot;Create a new workspace…&quot;. Open an existing one with &quot;Open a folder…&quot;.</translation>
    </message>
    <message>
        <source>ワークスペースのフォルダーを選択</source>
        <translation>Choose the workspace folder</translation>
    </message>
    <message>
        <source>ワークスペースを作成しています…</source>
        <translation>Creating the workspace…</translation>
    </message>
</context>
</TS>
