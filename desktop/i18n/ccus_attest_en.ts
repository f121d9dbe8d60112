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
        <source>日付を消す</source>
        <translation>Clear the date</translation>
    </message>
    <message>
        <source>カレンダー</source>
        <translation>Calendar</translation>
    </message>
    <message>
        <source>カレンダーから選ぶ（Alt+↓）</source>
        <translation>Pick from a calendar (Alt+↓)</translation>
    </message>
    <message>
        <source>カレンダー: {question}</source>
        <translation>Calendar: {question}</translation>
    </message>
    <message>
        <source>カレンダー（{item} の日付を選ぶ）</source>
        <translation>Calendar (pick the date of {item})</translation>
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
        <source>▶ 選択中</source>
        <translation>▶ Selected</translation>
    </message>
    <message>
        <source>確認済みにする</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <source>{item} の前年からの回答を確認済みにする</source>
        <translation>Confirm last year&apos;s answer to {item}</translation>
    </message>
    <message>
        <source>再試行</source>
        <translation>Retry</translation>
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
        <source>備考（必須: 理由と是正の計画・期日）</source>
        <translation>Note (required: reason, remediation plan and date)</translation>
    </message>
    <message>
        <source>要対応: </source>
        <translation>Must fix: </translation>
    </message>
    <message>
        <source>注意: </source>
        <translation>Note: </translation>
    </message>
    <message>
        <source>備考（任意）</source>
        <translation>Note (optional)</translation>
    </message>
    <message>
        <source>前年の回答を、内容を確かめたうえで今年度の回答として確認します。設問の文言・規則が変わっているため、新しい設問に照らして確かめてください。</source>
        <translation>Confirms last year&apos;s answer as this year&apos;s, once you have checked it. The question&apos;s wording or rules changed: check the answer against the new question.</translation>
    </message>
    <message>
        <source>前年の回答を、内容を確かめたうえで今年度の回答として確認します。回答を変更した場合は自動的に確認済みになります。</source>
        <translation>Confirms last year&apos;s answer as this year&apos;s, once you have checked it. Changing the answer confirms it too.</translation>
    </message>
    <message numerus="yes">
        <source>証跡 %n 件添付済み</source>
        <translation>
            <numerusform>%n evidence file attached</numerusform>
            <numerusform>%n evidence files attached</numerusform>
        </translation>
    </message>
    <message>
        <source>証跡が必要です</source>
        <translation>Evidence is required</translation>
    </message>
    <message>
        <source>証跡（必須）</source>
        <translation>Evidence (required)</translation>
    </message>
    <message>
        <source>証跡（回答する場合は必須）</source>
        <translation>Evidence (required if you answer)</translation>
    </message>
    <message>
        <source>証跡（回答が「{answers}」の場合は必須）</source>
        <translation>Evidence (required if the answer is “{answers}”)</translation>
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
        <source>証跡を添付…（{item}）</source>
        <translation>Attach evidence… ({item})</translation>
    </message>
    <message>
        <source>まだ保存されていません。空き容量やドライブを確かめて「再試行」を押してください。</source>
        <translation>Not saved yet. Check the free space and the drive, then press Retry.</translation>
    </message>
    <message>
        <source>前回から{state}</source>
        <translation>{state} vs. previous</translation>
    </message>
    <message>
        <source>前回の提出から変わった点: {what}</source>
        <translation>Changed since the previous submission: {what}</translation>
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
        <source>参照…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>ファイル</source>
        <translation>File</translation>
    </message>
    <message>
        <source>参照…（{what}）</source>
        <translation>Browse… ({what})</translation>
    </message>
    <message>
        <source>証跡ファイル (*.pdf *.png *.jpg *.jpeg *.gif *.bmp *.webp *.txt *.csv *.xlsx *.docx *.zip);;すべてのファイル (*)</source>
        <translation>Evidence files (*.pdf *.png *.jpg *.jpeg *.gif *.bmp *.webp *.txt *.csv *.xlsx *.docx *.zip);;All files (*)</translation>
    </message>
    <message>
        <source>ファイルの置き換え</source>
        <translation>Replace file</translation>
    </message>
    <message>
        <source>「{name}」はすでにあります。置き換えますか？
{folder}</source>
        <translation>“{name}” already exists. Replace it?
{folder}</translation>
    </message>
    <message>
        <source>置き換える</source>
        <translation>Replace</translation>
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
        <source>次の設問</source>
        <translation>Next item</translation>
    </message>
    <message>
        <source>前の設問</source>
        <translation>Previous item</translation>
    </message>
    <message>
        <source>次の未回答の設問</source>
        <translation>Next unanswered item</translation>
    </message>
    <message>
        <source>前の未回答の設問</source>
        <translation>Previous unanswered item</translation>
    </message>
    <message>
        <source>次の領域へ</source>
        <translation>Next pane</translation>
    </message>
    <message>
        <source>前の領域へ</source>
        <translation>Previous pane</translation>
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
        <source>ワークスペースを検査…</source>
        <translation>Check the workspace…</translation>
    </message>
    <message>
        <source>前年度のワークスペースと比較…</source>
        <translation>Compare with last year&apos;s workspace…</translation>
    </message>
    <message>
        <source>前年度との比較をやめる</source>
        <translation>Stop comparing with last year</translation>
    </message>
    <message>
        <source>操作履歴…</source>
        <translation>Activity log…</translation>
    </message>
    <message>
        <source>CCUS Attest について</source>
        <translation>About CCUS Attest</translation>
    </message>
    <message>
        <source>キーボード操作</source>
        <translation>Keyboard</translation>
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
        <source>署名鍵のパスフレーズが違います</source>
        <translation>Wrong signing key passphrase</translation>
    </message>
    <message>
        <source>入力したパスフレーズでは署名鍵を開けませんでした。</source>
        <translation>The signing key could not be opened with this passphrase.</translation>
    </message>
    <message>
        <source>署名鍵を作成したときのパスフレーズを入力してください（ワークスペースのパスフレーズとは別です）。</source>
        <translation>Enter the passphrase chosen when the signing key was created (it is not the workspace passphrase).</translation>
    </message>
    <message>
        <source>鍵を使えません</source>
        <translation>The key cannot be used</translation>
    </message>
    <message>
        <source>指定した鍵または鍵ファイルが見つからないか、形式が違います。</source>
        <translation>The key or key file was not found or has the wrong format.</translation>
    </message>
    <message>
        <source>署名には minisign の秘密鍵（.key）、検証には公開鍵（.pub）、暗号化には age1… で始まる受取人の公開鍵、開封には age の秘密鍵ファイルを指定してください。</source>
        <translation>Signing needs a minisign secret key (.key), verifying its public key (.pub), encrypting a recipient public key starting with age1…, and opening an age identity file.</translation>
    </message>
    <message>
        <source>提出データが完成していません</source>
        <translation>The submission is not complete</translation>
    </message>
    <message>
        <source>未回答の必須項目、または不足・期限切れの証跡があります。</source>
        <translation>Required items are unanswered, or evidence is missing or expired.</translation>
    </message>
    <message>
        <source>問題を解決するか、書き出しウィザードで「未完成のまま書き出す」を選んでください。</source>
        <translation>Fix the problems, or choose “Export as incomplete” in the export wizard.</translation>
    </message>
    <message>
        <source>同じ名前のファイルがあります</source>
        <translation>A file with this name exists</translation>
    </message>
    <message>
        <source>書き出し先に同じ名前のファイルがすでにあります。既存のファイルは上書きしません。</source>
        <translation>A file with the same name already exists there. Existing files are never overwritten.</translation>
    </message>
    <message>
        <source>別のファイル名を指定してください。</source>
        <translation>Choose another file name.</translation>
    </message>
    <message>
        <source>提出バンドルの検証に失敗しました</source>
        <translation>The bundle failed verification</translation>
    </message>
    <message>
        <source>署名または内容の確認で問題が見つかったため、バンドルを開きませんでした。</source>
        <translation>A problem was found in the signatures or the contents, so the bundle was not opened.</translation>
    </message>
    <message>
        <source>改ざんや破損の可能性があります。提出者に連絡し、再提出を依頼してください。</source>
        <translation>It may have been altered or damaged. Contact the vendor and ask them to submit it again.</translation>
    </message>
    <message>
        <source>危険な内容を含むバンドルです</source>
        <translation>The bundle holds unsafe content</translation>
    </message>
    <message>
        <source>バンドルの中に、安全に展開できないファイル名や種類のファイルがあります。</source>
        <translation>The bundle contains file names or file types that cannot be extracted safely.</translation>
    </message>
    <message>
        <source>このバンドルは開かず、提出者に連絡してください。</source>
        <translation>Do not open this bundle; contact the vendor.</translation>
    </message>
    <message>
        <source>提出バンドルを処理できません</source>
        <translation>The bundle cannot be processed</translation>
    </message>
    <message>
        <source>提出バンドルの書き出し、検証または展開ができませんでした。</source>
        <translation>The bundle could not be written, verified or extracted.</translation>
    </message>
    <message>
        <source>ファイルの場所、空き容量、フォルダーが空であることを確かめて、もう一度お試しください。</source>
        <translation>Check the file location, the free disk space and that the folder is empty, then try again.</translation>
    </message>
    <message>
        <source>レビューを読み書きできません</source>
        <translation>The review cannot be read or written</translation>
    </message>
    <message>
        <source>判定・指摘事項のファイル、またはレビュー済みのチェックリストを扱えませんでした。</source>
        <translation>The verdicts and findings file, or the reviewed checklist, could not be processed.</translation>
    </message>
    <message>
        <source>この提出データのために作成されたチェックリストか確かめてください。詳細を確認してください。</source>
        <translation>Check that the checklist was made for this submission, and see the details.</translation>
    </message>
    <message>
        <source>提出データを読み取れません</source>
        <translation>The submission cannot be read</translation>
    </message>
    <message>
        <source>展開したフォルダーの回答データ（answers.json）を読み取れませんでした。</source>
        <translation>The answers (answers.json) in the opened folder could not be read.</translation>
    </message>
    <message>
        <source>提出バンドルをもう一度開き直してください。</source>
        <translation>Open the submission bundle again.</translation>
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
        <source>比較できません</source>
        <translation>Cannot compare</translation>
    </message>
    <message>
        <source>選んだファイルまたはフォルダーは、この提出との比較に使えません。</source>
        <translation>The file or folder you chose cannot be compared with this submission.</translation>
    </message>
    <message>
        <source>前回の提出バンドル、または前年度のワークスペース（このワークスペースの作成元）を選んでください。</source>
        <translation>Choose the previous submission bundle, or last year&apos;s workspace (the one this workspace was made from).</translation>
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
        <source>判定なし</source>
        <translation>no verdict</translation>
    </message>
    <message>
        <source>他の監査人が先に保存しました</source>
        <translation>Another auditor saved first</translation>
    </message>
    <message>
        <source>{item} の判定は、読み込んだ後に {who} が保存しています（版 {version}）。
相手の判定: {theirs}
あなたの判定（保存していません）: {mine}</source>
        <translation>{who} saved the verdict on {item} after you loaded it (version {version}).
Theirs: {theirs}
Yours (not saved): {mine}</translation>
    </message>
    <message>
        <source>相手の判定を表示しています。必要なら内容を確かめてから、もう一度判定してください。</source>
        <translation>Their verdict is shown now. Check it, and record yours again if needed.</translation>
    </message>
    <message>
        <source>登録簿は読み取り専用です</source>
        <translation>The register is read-only</translation>
    </message>
    <message>
        <source>この登録簿では閲覧だけが許可されています。何も変更していません。</source>
        <translation>You may only browse this register. Nothing was changed.</translation>
    </message>
    <message>
        <source>判定を記録するには、書き込みが許可された利用者で開いてください。</source>
        <translation>To record verdicts, open it as a user who may write.</translation>
    </message>
    <message>
        <source>登録簿を使えません</source>
        <translation>The register cannot be used</translation>
    </message>
    <message>
        <source>登録簿の読み書きで問題が発生しました。</source>
        <translation>A problem occurred reading or writing the register.</translation>
    </message>
    <message>
        <source>登録簿の場所と接続先を確かめて、もう一度お試しください。</source>
        <translation>Check the register’s location and connection, then try again.</translation>
    </message>
    <message>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>記録したログファイル: {path}</source>
        <translation>Log file written: {path}</translation>
    </message>
    <message>
        <source>必須項目 {done} / {total} 件が完了</source>
        <translation>Required items complete: {done} / {total}</translation>
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
        <source>{date}（期限切れ）</source>
        <translation>{date} (expired)</translation>
    </message>
    <message>
        <source>{date}（残り {n} 日）</source>
        <translation>{date} ({n} days left)</translation>
    </message>
    <message>
        <source>ロック中</source>
        <translation>Locked</translation>
    </message>
    <message>
        <source>必須 {done} / {total} 件完了</source>
        <translation>{done} / {total} required done</translation>
    </message>
    <message>
        <source>有効期限切れ（{date}）</source>
        <translation>Expired ({date})</translation>
    </message>
    <message numerus="yes">
        <source>まもなく有効期限（{date}、残り %n 日）</source>
        <translation>
            <numerusform>Expires soon ({date}, %n day left)</numerusform>
            <numerusform>Expires soon ({date}, %n days left)</numerusform>
        </translation>
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
    <message>
        <source>［提出を妨げる］</source>
        <translation>[Blocks submission]</translation>
    </message>
    <message>
        <source>［要改善］</source>
        <translation>[Needs improvement]</translation>
    </message>
    <message>
        <source>［注意］</source>
        <translation>[Warning]</translation>
    </message>
    <message>
        <source>ファイル {path}</source>
        <translation>File {path}</translation>
    </message>
    <message>
        <source>ZIP 形式（コンテナ）</source>
        <translation>ZIP container</translation>
    </message>
    <message>
        <source>同梱の公開鍵（signer.pub）</source>
        <translation>Enclosed public key (signer.pub)</translation>
    </message>
    <message>
        <source>外側の署名（submission.tar.age）</source>
        <translation>Outer signature (submission.tar.age)</translation>
    </message>
    <message>
        <source>説明書（README.txt）</source>
        <translation>Instructions (README.txt)</translation>
    </message>
    <message>
        <source>復号</source>
        <translation>Decryption</translation>
    </message>
    <message>
        <source>アーカイブの内容（tar）</source>
        <translation>Archive contents (tar)</translation>
    </message>
    <message>
        <source>内側の署名（SHA256SUMS）</source>
        <translation>Inner signature (SHA256SUMS)</translation>
    </message>
    <message>
        <source>チェックサム（SHA256SUMS）</source>
        <translation>Checksums (SHA256SUMS)</translation>
    </message>
    <message>
        <source>マニフェスト（manifest.json）</source>
        <translation>Manifest (manifest.json)</translation>
    </message>
    <message>
        <source>マニフェストの署名鍵 ID</source>
        <translation>Signer key ID in the manifest</translation>
    </message>
    <message>
        <source>ファイルの一覧</source>
        <translation>List of files</translation>
    </message>
    <message>
        <source>調査票テンプレート</source>
        <translation>Questionnaire template</translation>
    </message>
    <message>
        <source>回答データ（answers.json）</source>
        <translation>Answers (answers.json)</translation>
    </message>
    <message>
        <source>回答</source>
        <translation>Answer</translation>
    </message>
    <message>
        <source>備考</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>証跡</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <source>活動記録（改ざん検知チェーン）</source>
        <translation>Activity log (tamper-evident chain)</translation>
    </message>
    <message>
        <source>公式テンプレートとの一致</source>
        <translation>Matches the official template</translation>
    </message>
    <message>
        <source>文字数の上限</source>
        <translation>Length limits</translation>
    </message>
    <message>
        <source>回答の値（テンプレートとの適合）</source>
        <translation>Answer values (fit the template)</translation>
    </message>
    <message>
        <source>提出者名・証跡名の文字</source>
        <translation>Characters in vendor and evidence names</translation>
    </message>
    <message>
        <source>結論の再計算（完了・要対応・件数・期限）</source>
        <translation>Conclusions recomputed (complete, blockers, counts, expiry)</translation>
    </message>
    <message>
        <source>書き出し日時</source>
        <translation>Export time</translation>
    </message>
    <message>
        <source>活動記録の操作の種類</source>
        <translation>Activity log: event types</translation>
    </message>
    <message>
        <source>活動記録の日時</source>
        <translation>Activity log: timestamps</translation>
    </message>
    <message>
        <source>活動記録と回答・証跡の一致</source>
        <translation>Activity log matches the answers and evidence</translation>
    </message>
    <message>
        <source>同梱のチェックリスト（数式・リンク・マクロ）</source>
        <translation>Enclosed checklist (formulas, links, macros)</translation>
    </message>
    <message>
        <source>記憶している鍵との照合</source>
        <translation>Pinned key</translation>
    </message>
    <message>
        <source>結果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>確認項目</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>損傷</source>
        <translation>Damage</translation>
    </message>
    <message>
        <source>残骸</source>
        <translation>Leftover</translation>
    </message>
    <message>
        <source>参考</source>
        <translation>Notice</translation>
    </message>
    <message>
        <source>詳細</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>重要度</source>
        <translation>Severity</translation>
    </message>
    <message>
        <source>対象</source>
        <translation>Subject</translation>
    </message>
    <message>
        <source>所見</source>
        <translation>Finding</translation>
    </message>
    <message>
        <source>ワークスペースの検査結果</source>
        <translation>Workspace check</translation>
    </message>
    <message numerus="yes">
        <source>損傷が %n 件見つかりました。入力や添付が変更・欠落しています。直前のバックアップから復元してください（ccus-attest restore）。</source>
        <translation>
            <numerusform>%n problem of damage found: something entered or attached was altered or is missing. Restore the latest good backup (ccus-attest restore).</numerusform>
            <numerusform>%n problems of damage found: something entered or attached was altered or is missing. Restore the latest good backup (ccus-attest restore).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>損傷はありません。中断された操作の残骸が %n 件あります（何も失われていません）。ワークスペースを閉じて ccus-attest check --repair で削除できます。</source>
        <translation>
            <numerusform>No damage. %n leftover of an interrupted operation (nothing is lost); close the workspace and run ccus-attest check --repair to remove it.</numerusform>
            <numerusform>No damage. %n leftovers of interrupted operations (nothing is lost); close the workspace and run ccus-attest check --repair to remove them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>回答 %n 件</source>
        <translation>
            <numerusform>%n answer</numerusform>
            <numerusform>%n answers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>証跡 %n 件</source>
        <translation>
            <numerusform>%n evidence record</numerusform>
            <numerusform>%n evidence records</numerusform>
        </translation>
    </message>
    <message>
        <source>{what}（{size}）</source>
        <translation>{what} ({size})</translation>
    </message>
    <message numerus="yes">
        <source>暗号化ファイル %n 件</source>
        <translation>
            <numerusform>%n encrypted file</numerusform>
            <numerusform>%n encrypted files</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>操作履歴 %n 件</source>
        <translation>
            <numerusform>%n activity log entry</numerusform>
            <numerusform>%n activity log entries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>バックアップ %n 件</source>
        <translation>
            <numerusform>%n backup</numerusform>
            <numerusform>%n backups</numerusform>
        </translation>
    </message>
    <message>
        <source>確認したもの: {list}</source>
        <translation>Checked: {list}</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>問題は見つかりませんでした。すべての記録・証跡ファイル・操作履歴・バックアップを復号して確認しました。</source>
        <translation>No problems found: every record, evidence file, the activity log and the backups were decrypted and checked.</translation>
    </message>
    <message>
        <source>検査結果の一覧</source>
        <translation>Check findings</translation>
    </message>
    <message>
        <source>ワークスペースを検査しています…</source>
        <translation>Checking the workspace…</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>不合格</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>不明</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>ワークスペースを作成</source>
        <translation>Workspace created</translation>
    </message>
    <message>
        <source>提出者名を変更</source>
        <translation>Vendor name changed</translation>
    </message>
    <message>
        <source>回答を保存</source>
        <translation>Answer saved</translation>
    </message>
    <message>
        <source>回答を消去</source>
        <translation>Answer cleared</translation>
    </message>
    <message>
        <source>証跡を添付</source>
        <translation>Evidence attached</translation>
    </message>
    <message>
        <source>証跡の情報を変更</source>
        <translation>Evidence details changed</translation>
    </message>
    <message>
        <source>証跡を削除</source>
        <translation>Evidence removed</translation>
    </message>
    <message>
        <source>パスフレーズを変更</source>
        <translation>Passphrase changed</translation>
    </message>
    <message>
        <source>提出バンドルを書き出し</source>
        <translation>Submission bundle exported</translation>
    </message>
    <message>
        <source>チェックリストを書き出し</source>
        <translation>Checklist exported</translation>
    </message>
    <message>
        <source>報告書を書き出し</source>
        <translation>Report exported</translation>
    </message>
    <message>
        <source>レビュー結果を取り込み</source>
        <translation>Review imported</translation>
    </message>
    <message>
        <source>バックアップから復元</source>
        <translation>Restored from a backup</translation>
    </message>
    <message>
        <source>備考: {note}</source>
        <translation>Note: {note}</translation>
    </message>
    <message>
        <source>有効期限 {date}</source>
        <translation>expires {date}</translation>
    </message>
    <message>
        <source>鍵 ID {key_id}</source>
        <translation>key ID {key_id}</translation>
    </message>
    <message>
        <source>未完成</source>
        <translation>incomplete</translation>
    </message>
    <message numerus="yes">
        <source>{source}（判定 %n 件）</source>
        <translation>
            <numerusform>{source} (%n verdict)</numerusform>
            <numerusform>{source} (%n verdicts)</numerusform>
        </translation>
    </message>
    <message>
        <source>絞り込み</source>
        <translation>Filter</translation>
    </message>
    <message>
        <source>絞り込みを消す</source>
        <translation>Clear the filter</translation>
    </message>
    <message>
        <source>操作履歴の一覧</source>
        <translation>Activity entries</translation>
    </message>
    <message numerus="yes">
        <source>改ざん検知チェーン: 正常（%n 件の記録がすべてつながっています）</source>
        <translation>
            <numerusform>Tamper-evident chain intact: its %n entry is in place</numerusform>
            <numerusform>Tamper-evident chain intact: all %n entries link up</numerusform>
        </translation>
    </message>
    <message>
        <source>番号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>日時</source>
        <translation>Date and time</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>設問</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>操作履歴</source>
        <translation>Activity log</translation>
    </message>
    <message>
        <source>読み込み中…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>絞り込み（操作・設問 ID・内容）</source>
        <translation>Filter (action, item ID, details)</translation>
    </message>
    <message>
        <source>改ざん検知チェーンに問題があります。記録が削除・変更された可能性があります。
{problems}</source>
        <translation>The tamper-evident chain is broken: entries may have been removed or altered.
{problems}</translation>
    </message>
    <message>
        <source>すべて適合</source>
        <translation>All conforming</translation>
    </message>
    <message>
        <source>回答する設問なし</source>
        <translation>Nothing to answer</translation>
    </message>
    <message>
        <source>{pct}%（{done} / {total} 件）</source>
        <translation>{pct}% ({done} / {total})</translation>
    </message>
    <message numerus="yes">
        <source>提出を妨げている設問が %n 件あります（{detail}）。</source>
        <translation>
            <numerusform>%n item blocks the submission ({detail}).</numerusform>
            <numerusform>%n items block the submission ({detail}).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>提出を妨げる設問はありません。ただし要改善の設問が %n 件あります（提出はできますが、改善を求められます）。</source>
        <translation>
            <numerusform>Nothing blocks the submission, but %n item needs improvement (it can be submitted; improvement will be asked for).</numerusform>
            <numerusform>Nothing blocks the submission, but %n items need improvement (they can be submitted; improvement will be asked for).</numerusform>
        </translation>
    </message>
    <message>
        <source>すべての必須項目が適合です。提出を妨げる問題はありません。</source>
        <translation>Every required item conforms. Nothing blocks the submission.</translation>
    </message>
    <message>
        <source>次の項目・ボタンへ / 前へ</source>
        <translation>Next field or button / previous</translation>
    </message>
    <message>
        <source>回答（はい・一部・いいえ・該当なし）を選ぶ</source>
        <translation>Choose an answer (Yes, Partly, No, Not applicable)</translation>
    </message>
    <message>
        <source>← → ↑ ↓ で選び、Space・Enter・Tab で確定</source>
        <translation>← → ↑ ↓ to choose; Space, Enter or Tab to confirm</translation>
    </message>
    <message>
        <source>回答をすぐに選ぶ</source>
        <translation>Choose an answer directly</translation>
    </message>
    <message>
        <source>1 2 3 4、または Y（はい）P（一部）N（いいえ）A（該当なし）</source>
        <translation>1 2 3 4, or Y (Yes) P (Partly) N (No) A (Not applicable)</translation>
    </message>
    <message>
        <source>判定（監査）を選ぶ・取り消す</source>
        <translation>Choose or take back a verdict (audit)</translation>
    </message>
    <message>
        <source>← → と Space、1〜4、Delete で取り消し</source>
        <translation>← → and Space, 1–4; Delete takes it back</translation>
    </message>
    <message>
        <source>選択肢の一覧を開く</source>
        <translation>Open a list of choices</translation>
    </message>
    <message>
        <source>Alt+↓ または F4（↑↓ で移り、Enter で確定、Esc で閉じる）</source>
        <translation>Alt+↓ or F4 (↑↓ to move, Enter to choose, Esc to close)</translation>
    </message>
    <message>
        <source>日付をカレンダーから選ぶ</source>
        <translation>Pick a date from the calendar</translation>
    </message>
    <message>
        <source>日付欄で Alt+↓ または F4、矢印で日、PageUp/PageDown で月、Enter か Space で決定、Esc で閉じる</source>
        <translation>In a date field Alt+↓ or F4; arrows move by day, PageUp/PageDown by month; Enter or Space picks, Esc closes</translation>
    </message>
    <message>
        <source>ボタンやチェックボックスを押す</source>
        <translation>Press a button or check box</translation>
    </message>
    <message>
        <source>一覧の項目を開く（問題の一覧・検索結果）</source>
        <translation>Open the entry of a list (problems, search results)</translation>
    </message>
    <message>
        <source>提出不可</source>
        <translation>Not complete</translation>
    </message>
    <message>
        <source>提出可（非公式テンプレート）</source>
        <translation>Complete (UNOFFICIAL template)</translation>
    </message>
    <message>
        <source>提出可</source>
        <translation>Complete</translation>
    </message>
    <message>
        <source>未着手</source>
        <translation>Not started</translation>
    </message>
    <message>
        <source>審査中</source>
        <translation>In review</translation>
    </message>
    <message>
        <source>審査済</source>
        <translation>Reviewed</translation>
    </message>
    <message>
        <source>{date}（期限間近）</source>
        <translation>{date} (expiring soon)</translation>
    </message>
    <message>
        <source>提出者</source>
        <translation>Vendor</translation>
    </message>
    <message>
        <source>最新年度</source>
        <translation>Latest fiscal year</translation>
    </message>
    <message>
        <source>提出数</source>
        <translation>Submissions</translation>
    </message>
    <message>
        <source>再計算の結論</source>
        <translation>Recomputed conclusion</translation>
    </message>
    <message>
        <source>審査状況</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>未解決の指摘</source>
        <translation>Open findings</translation>
    </message>
    <message>
        <source>次の有効期限</source>
        <translation>Next expiry</translation>
    </message>
    <message>
        <source>期限超過の是正</source>
        <translation>Overdue actions</translation>
    </message>
    <message>
        <source>年度</source>
        <translation>Fiscal year</translation>
    </message>
    <message>
        <source>提出ID</source>
        <translation>Submission ID</translation>
    </message>
    <message>
        <source>書き出し日時（JST）</source>
        <translation>Exported (JST)</translation>
    </message>
    <message>
        <source>署名鍵ID</source>
        <translation>Signer key ID</translation>
    </message>
    <message>
        <source>テンプレート</source>
        <translation>Template</translation>
    </message>
    <message>
        <source>（非公式）</source>
        <translation> (unofficial)</translation>
    </message>
    <message>
        <source>登録簿の場所</source>
        <translation>Register location</translation>
    </message>
    <message>
        <source>データベースの URL（例: postgresql+psycopg://tanaka@db.example/register）。空欄にするとこのコンピューターの登録簿（SQLite）を使います。</source>
        <translation>The database URL (e.g. postgresql+psycopg://tanaka@db.example/register). Leave it empty to use the register on this computer (SQLite).</translation>
    </message>
    <message>
        <source>登録簿 — CCUS Attest</source>
        <translation>Register — CCUS Attest</translation>
    </message>
    <message>
        <source>登録簿の場所…</source>
        <translation>Register location…</translation>
    </message>
    <message>
        <source>再読み込み (F5)</source>
        <translation>Reload (F5)</translation>
    </message>
    <message>
        <source>提出者名で絞り込み  Ctrl+F</source>
        <translation>Filter by vendor name  Ctrl+F</translation>
    </message>
    <message>
        <source>提出者名で絞り込み</source>
        <translation>Filter by vendor name</translation>
    </message>
    <message>
        <source>すべての審査状況</source>
        <translation>Any review state</translation>
    </message>
    <message>
        <source>有効期限が{days}日以内</source>
        <translation>Expiring within {days} days</translation>
    </message>
    <message>
        <source>期限超過の是正あり</source>
        <translation>Overdue corrective actions</translation>
    </message>
    <message>
        <source>提出者の一覧</source>
        <translation>Vendors</translation>
    </message>
    <message>
        <source>選んだ提出者の提出一覧</source>
        <translation>Submissions of the selected vendor</translation>
    </message>
    <message>
        <source>バンドルを開く（読み取り専用）…</source>
        <translation>Open the bundle (read-only)…</translation>
    </message>
    <message>
        <source>登録簿に保管した提出バンドルを、監査人の秘密鍵で検証して開きます。</source>
        <translation>Verifies the bundle kept in the register with the auditor’s identity and opens it.</translation>
    </message>
    <message>
        <source>登録簿: {where}&#x3000;保管フォルダー: {store}</source>
        <translation>Register: {where}   Bundle store: {store}</translation>
    </message>
    <message>
        <source>すべての年度</source>
        <translation>All fiscal years</translation>
    </message>
    <message>
        <source>期限切れ（{n} 日超過）</source>
        <translation>Overdue ({n} days)</translation>
    </message>
    <message>
        <source>本日が期限</source>
        <translation>Due today</translation>
    </message>
    <message>
        <source>あと {n} 日</source>
        <translation>in {n} days</translation>
    </message>
    <message>
        <source>契約の締結日</source>
        <translation>Contract date</translation>
    </message>
    <message>
        <source>認定契約を締結した日を入力してください。契約期間は締結日から1年間で、満了の3か月前までに書面による申し出がなければ1年ずつ延長されます（契約書 第13条1項）。更新日と申し出の期限、年次監査の目安はこの日から計算します。</source>
        <translation>Enter the date the certification contract was signed. It runs one year from that date and renews itself by one year unless notice is given in writing three months before it ends (Art. 13-1). The renewal date, the notice deadline and the annual audit are computed from it.</translation>
    </message>
    <message>
        <source>前年から引き継いだ回答をすべて確認する</source>
        <translation>Confirm all answers carried over from last year</translation>
    </message>
    <message>
        <source>是正処置の一覧と編集を開く</source>
        <translation>Open the list of corrective actions to edit them</translation>
    </message>
    <message>
        <source>期限（期限切れを先に表示）</source>
        <translation>Deadlines (overdue first)</translation>
    </message>
    <message>
        <source>契約の締結日…</source>
        <translation>Contract date…</translation>
    </message>
    <message>
        <source>契約の締結日を入力・変更する</source>
        <translation>Enter or change the contract date</translation>
    </message>
    <message>
        <source>カレンダーに書き出す…</source>
        <translation>Export to calendar…</translation>
    </message>
    <message>
        <source>期限を iCalendar ファイルに書き出す</source>
        <translation>Export the deadlines to an iCalendar file</translation>
    </message>
    <message>
        <source>Outlook や Google カレンダーに取り込める .ics ファイルです。書き出し直すと、同じ予定が更新されます（重複しません）。</source>
        <translation>An .ics file that Outlook and Google Calendar import. Exporting again updates the same events (no duplicates).</translation>
    </message>
    <message>
        <source>期限の一覧</source>
        <translation>Deadlines</translation>
    </message>
    <message>
        <source>期限はまだありません。契約の締結日を入力するか、監査日・診断日・証跡の有効期限を入力すると表示されます。</source>
        <translation>No deadlines yet. They appear once you enter the contract date, or audit, diagnosis or evidence expiry dates.</translation>
    </message>
    <message>
        <source>前年から引き継いだ回答: 確認済み {done} / {n} 件（要確認 {todo} 件）</source>
        <translation>Answers carried over from last year: {done} of {n} confirmed ({todo} to confirm)</translation>
    </message>
    <message>
        <source>是正処置: 未完了 {open} / {n} 件</source>
        <translation>Corrective actions: {open} of {n} open</translation>
    </message>
    <message>
        <source>（うち期限切れ {late} 件）</source>
        <translation> ({late} overdue)</translation>
    </message>
    <message>
        <source>{year}年度</source>
        <translation>FY {year}</translation>
    </message>
    <message>
        <source>未設定</source>
        <translation>not set</translation>
    </message>
    <message>
        <source>{date}（CHG-04 の回答から）</source>
        <translation>{date} (from the answer to CHG-04)</translation>
    </message>
    <message>
        <source>監査期間: {period}&#x3000;契約の締結日: {date}</source>
        <translation>Audit period: {period}   Contract date: {date}</translation>
    </message>
    <message>
        <source>ほか {n} 件を表示</source>
        <translation>Show {n} more</translation>
    </message>
    <message>
        <source>先頭の {n} 件だけ表示</source>
        <translation>Show only the first {n}</translation>
    </message>
    <message>
        <source>カレンダー（iCalendar）の保存先</source>
        <translation>Save the calendar (iCalendar) as</translation>
    </message>
    <message>
        <source>iCalendar (*.ics)</source>
        <translation>iCalendar (*.ics)</translation>
    </message>
    <message>
        <source>{n} 件の期限をカレンダーに書き出しました: {path}</source>
        <translation>Exported {n} deadlines to the calendar file: {path}</translation>
    </message>
    <message>
        <source>登録簿がまだありません。コマンド ccus-attest register init で作成し、register add で提出バンドルを追加してください。</source>
        <translation>There is no register yet. Create it with the command ccus-attest register init, and add bundles with register add.</translation>
    </message>
    <message>
        <source>提出者 {vendors} 社・提出 {subs} 件&#x3000;｜&#x3000;審査が終わっていない最新提出: {open} 社&#x3000;｜&#x3000;有効期限が{days}日以内（期限切れを含む）: {expiring} 社&#x3000;｜&#x3000;期限超過の是正がある: {overdue} 社</source>
        <translation>{vendors} vendors, {subs} submissions  |  latest submission not fully reviewed: {open} vendors  |  evidence expiring within {days} days (or expired): {expiring} vendors  |  overdue corrective actions: {overdue} vendors</translation>
    </message>
    <message>
        <source>{shown} / {total} 社を表示</source>
        <translation>{shown} of {total} vendors shown</translation>
    </message>
    <message>
        <source>「{vendor}」の提出（{n} 件、新しい順）</source>
        <translation>Submissions of “{vendor}” ({n}, newest first)</translation>
    </message>
    <message>
        <source>{section} の前年からの回答をまとめて確認済みにする</source>
        <translation>Confirm the answers of {section} carried over from last year</translation>
    </message>
    <message>
        <source>このセクションの前年から引き継いだ回答を、今年度の回答として確認済みにします。設問が変更された回答は含まれません（1件ずつ確認してください）。元に戻す（Ctrl+Z）で取り消せます。</source>
        <translation>Confirms this section&apos;s answers carried over from last year as this year&apos;s. Answers to changed questions are left out (confirm them one by one). Undo (Ctrl+Z) takes it back.</translation>
    </message>
    <message>
        <source>このセクションの引継ぎ回答をまとめて確認（{n} 件）</source>
        <translation>Confirm this section&apos;s carried answers ({n})</translation>
    </message>
    <message>
        <source>処置ID</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>項目</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>区分</source>
        <translation>Grade</translation>
    </message>
    <message>
        <source>状態</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>期日</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>指摘内容</source>
        <translation>Finding</translation>
    </message>
    <message>
        <source>{status}・期限切れ</source>
        <translation>{status}, overdue</translation>
    </message>
    <message>
        <source>なし</source>
        <translation>none</translation>
    </message>
    <message>
        <source>期日なし（例: 2027-03-31）</source>
        <translation>None (e.g. 2027-03-31)</translation>
    </message>
    <message>
        <source>担当</source>
        <translation>Owner</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Root cause</translation>
    </message>
    <message>
        <source>処置内容</source>
        <translation>Action taken / planned</translation>
    </message>
    <message>
        <source>メモ</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>是正の証跡のファイルを添付する</source>
        <translation>Attach a file as evidence of the correction</translation>
    </message>
    <message>
        <source>是正の証跡</source>
        <translation>Evidence of the correction</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>是正処置を保存する</source>
        <translation>Save the corrective action</translation>
    </message>
    <message>
        <source>一覧から是正処置を選んでください。</source>
        <translation>Choose a corrective action in the list.</translation>
    </message>
    <message>
        <source>{id}（{item}）監査人の判定: {verdict}&#x3000;{by}
{finding}</source>
        <translation>{id} ({item}) the auditor&apos;s verdict: {verdict}   {by}
{finding}</translation>
    </message>
    <message>
        <source>是正処置</source>
        <translation>Corrective actions</translation>
    </message>
    <message>
        <source>是正処置の一覧</source>
        <translation>Corrective actions</translation>
    </message>
    <message>
        <source>是正処置 {n} 件: 未完了 {open} 件、期限切れ {late} 件（{on} 現在）</source>
        <translation>{n} corrective actions: {open} open, {late} overdue (as of {on})</translation>
    </message>
    <message>
        <source>是正の証跡のファイルを選択</source>
        <translation>Choose the evidence of the correction</translation>
    </message>
    <message>
        <source>{name} を暗号化しています…</source>
        <translation>Encrypting {name}…</translation>
    </message>
    <message>
        <source>この引継ぎ回答を確認済みにする</source>
        <translation>Confirm this carried answer</translation>
    </message>
    <message>
        <source>このセクションの引継ぎ回答をまとめて確認</source>
        <translation>Confirm this section&apos;s carried answers</translation>
    </message>
    <message>
        <source>引継ぎ回答をすべて確認…</source>
        <translation>Confirm all carried answers…</translation>
    </message>
    <message>
        <source>是正処置…</source>
        <translation>Corrective actions…</translation>
    </message>
    <message>
        <source>{item} には確認を待つ前年からの回答はありません。</source>
        <translation>{item} has no answer from last year waiting to be confirmed.</translation>
    </message>
    <message>
        <source>{item} の前年からの回答を確認済みにしました（Ctrl+Z で取り消せます）。</source>
        <translation>Confirmed last year&apos;s answer to {item} (Ctrl+Z to undo).</translation>
    </message>
    <message>
        <source>{section} にまとめて確認できる前年からの回答はありません。</source>
        <translation>{section} has no carried answers to confirm at once.</translation>
    </message>
    <message>
        <source>{section} の前年からの回答 {n} 件を確認済みにしました（Ctrl+Z で取り消せます）。</source>
        <translation>Confirmed {n} answers of {section} carried over from last year (Ctrl+Z to undo).</translation>
    </message>
    <message>
        <source>まとめて確認できる前年からの回答はありません。</source>
        <translation>There are no carried answers to confirm at once.</translation>
    </message>
    <message>
        <source>前年から引き継いだ回答 {n} 件を、内容を確かめたものとして今年度の回答にします。確かめていない回答を確認済みにすると、提出内容が実態と違うおそれがあります。</source>
        <translation>The {n} answers carried over from last year become this year&apos;s answers, as checked by you. Confirming answers you have not checked may make the submission untrue.</translation>
    </message>
    <message>
        <source>設問の文言・規則が変わった {m} 件は含まれません。1件ずつ確認してください。</source>
        <translation>The {m} answers whose question changed in wording or rules are left out: confirm them one by one.</translation>
    </message>
    <message>
        <source>{n} 件を確認済みにする</source>
        <translation>Confirm {n} answers</translation>
    </message>
    <message>
        <source>引継ぎ回答をすべて確認</source>
        <translation>Confirm all carried answers</translation>
    </message>
    <message>
        <source>前年からの回答 {n} 件を確認済みにしました（Ctrl+Z で取り消せます）。</source>
        <translation>Confirmed {n} answers from last year (Ctrl+Z to undo).</translation>
    </message>
</context>
<context>
    <name>AuditorWindow</name>
    <message>
        <source>{vendor} — 提出データの確認（読み取り専用） — CCUS Attest</source>
        <translation>{vendor} — Submission review (read-only) — CCUS Attest</translation>
    </message>
    <message>
        <source>設問を検索（文言・ID・出典）  Ctrl+F</source>
        <translation>Search items (text, ID, source)  Ctrl+F</translation>
    </message>
    <message>
        <source>検索語を消す</source>
        <translation>Clear the search</translation>
    </message>
    <message>
        <source>設問を検索</source>
        <translation>Search the questions</translation>
    </message>
    <message>
        <source>表示する設問</source>
        <translation>Questions shown</translation>
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
        <source>前回との差分</source>
        <translation>Changed since the previous submission</translation>
    </message>
    <message>
        <source>読み取り専用</source>
        <translation>Read-only</translation>
    </message>
    <message>
        <source>提出されたとおりに表示しています。回答と証跡は変更できません。</source>
        <translation>Shown exactly as submitted. Answers and evidence cannot be changed.</translation>
    </message>
    <message>
        <source>展開先（復号済みの証跡を含みます）: {folder}</source>
        <translation>Opened in (holds the decrypted evidence): {folder}</translation>
    </message>
    <message>
        <source>提出バンドルを開く…</source>
        <translation>Open submission bundle…</translation>
    </message>
    <message>
        <source>展開先フォルダーを開く</source>
        <translation>Show the opened folder</translation>
    </message>
    <message>
        <source>チェックリストを書き出す（xlsx）…</source>
        <translation>Export checklist (xlsx)…</translation>
    </message>
    <message>
        <source>報告書を書き出す（PDF）…</source>
        <translation>Export report (PDF)…</translation>
    </message>
    <message>
        <source>判定・指摘事項をレビューブックに書き出す（xlsx）…</source>
        <translation>Export verdicts and findings as review workbook (xlsx)…</translation>
    </message>
    <message>
        <source>前回の提出と比較…</source>
        <translation>Compare with the previous submission…</translation>
    </message>
    <message>
        <source>前回との比較をやめる</source>
        <translation>Stop comparing with the previous submission</translation>
    </message>
    <message>
        <source>閉じる</source>
        <translation>Close</translation>
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
        <source>検証結果の詳細</source>
        <translation>Verification details</translation>
    </message>
    <message>
        <source>提出者の操作履歴…</source>
        <translation>Vendor&apos;s activity log…</translation>
    </message>
    <message>
        <source>是正処置（前回までの指摘）…</source>
        <translation>Corrective actions (earlier findings)…</translation>
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
        <source>次の設問</source>
        <translation>Next item</translation>
    </message>
    <message>
        <source>前の設問</source>
        <translation>Previous item</translation>
    </message>
    <message>
        <source>次の領域へ</source>
        <translation>Next pane</translation>
    </message>
    <message>
        <source>前の領域へ</source>
        <translation>Previous pane</translation>
    </message>
    <message>
        <source>キーボード操作</source>
        <translation>Keyboard</translation>
    </message>
    <message>
        <source>証跡をプレビュー</source>
        <translation>Preview evidence</translation>
    </message>
    <message>
        <source>ファイル(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>表示(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>ヘルプ(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>提出者の操作履歴（提出バンドル内の記録）</source>
        <translation>Vendor&apos;s activity log (as recorded in the bundle)</translation>
    </message>
    <message>
        <source>前回との差分: 先に「ファイル」→「前回の提出と比較…」で前回の提出を選んでください</source>
        <translation>Changes since the previous submission: first choose the previous submission with File → Compare with the previous submission…</translation>
    </message>
    <message>
        <source>前回との差分: {n} 件</source>
        <translation>Changed since the previous submission: {n}</translation>
    </message>
    <message>
        <source>（ほかに、今回は表示されない設問 {gone} 件）</source>
        <translation> (and {gone} questions not shown this time)</translation>
    </message>
    <message>
        <source>検索結果: {n} 件</source>
        <translation>Search results: {n}</translation>
    </message>
    <message>
        <source>判定済み {n} / {total} 件</source>
        <translation>Judged {n} / {total}</translation>
    </message>
    <message>
        <source>処理中</source>
        <translation>Working</translation>
    </message>
    <message>
        <source>書き出しが終わるまでお待ちください。</source>
        <translation>Please wait until the export is done.</translation>
    </message>
</context>
<context>
    <name>CalendarPopup</name>
    <message>
        <source>矢印キーで日を、PageUp/PageDown で月を移動し、Enter または Space で選びます。Esc で閉じます。</source>
        <translation>Arrow keys move by day, PageUp/PageDown by month; Enter or Space picks. Esc closes.</translation>
    </message>
</context>
<context>
    <name>CarryForwardDialog</name>
    <message>
        <source>前年度のワークスペースから作成</source>
        <translation>Create from last year&apos;s workspace</translation>
    </message>
    <message>
        <source>引き継いで作成</source>
        <translation>Carry over and create</translation>
    </message>
    <message>
        <source>前年度のワークスペースの回答・備考・証跡を、新しいワークスペースに引き継ぎます。前年度のワークスペースは読み取り専用で開かれ、何も変更されません。引き継いだ回答は「前年から引継ぎ・要確認」となり、確認するまで完了に数えられません。</source>
        <translation>Last year&apos;s answers, notes and evidence are carried over into a new workspace. Last year&apos;s workspace is opened read-only and nothing in it changes. Carried answers are marked &quot;Carried over — to confirm&quot; and do not count as complete until you confirm them.</translation>
    </message>
    <message>
        <source>前年度のワークスペース</source>
        <translation>Last year&apos;s workspace</translation>
    </message>
    <message>
        <source>前年度のワークスペースのパスフレーズ</source>
        <translation>Passphrase of last year&apos;s workspace</translation>
    </message>
    <message>
        <source>前年度のパスフレーズ</source>
        <translation>Last year&apos;s passphrase</translation>
    </message>
    <message>
        <source>自動（前年度の翌年度）</source>
        <translation>Automatic (the year after last year&apos;s)</translation>
    </message>
    <message>
        <source>新しい監査期間（年度）</source>
        <translation>New audit period (fiscal year)</translation>
    </message>
    <message>
        <source>監査期間（年度）</source>
        <translation>Audit period (fiscal year)</translation>
    </message>
    <message>
        <source>空欄: 前年度と同じ事業者名</source>
        <translation>Empty: the same vendor name as last year</translation>
    </message>
    <message>
        <source>前年度のワークスペースのフォルダー</source>
        <translation>Folder of last year&apos;s workspace</translation>
    </message>
</context>
<context>
    <name>ChoiceGroup</name>
    <message>
        <source>キー: {keys}</source>
        <translation>Keys: {keys}</translation>
    </message>
</context>
<context>
    <name>ComparePrevious</name>
    <message>
        <source>前回の提出バンドルを選ぶ</source>
        <translation>Choose the previous submission bundle</translation>
    </message>
    <message>
        <source>提出バンドル (*.zip);;すべてのファイル (*)</source>
        <translation>Submission bundles (*.zip);;All files (*)</translation>
    </message>
    <message>
        <source>前回の提出バンドルを検証して比較しています…</source>
        <translation>Verifying the previous bundle and comparing…</translation>
    </message>
</context>
<context>
    <name>ComparisonPanel</name>
    <message>
        <source>前回との比較（選択中の設問）</source>
        <translation>Comparison with the previous submission (selected question)</translation>
    </message>
    <message>
        <source>前回との比較: 提出ID {id}（{when}）— 変更のある設問 {n} 件</source>
        <translation>Compared with submission {id} ({when}) — {n} questions changed</translation>
    </message>
    <message>
        <source>是正処置 {n} 件: 今回の時点で完了 {closed} 件・未完了 {open} 件（前回から 新規 {opened}、完了 {closed_since}、再開 {reopened}、変更 {changed}、削除 {removed}）</source>
        <translation>Corrective actions: {n} — {closed} closed and {open} open now (since the previous one: {opened} new, {closed_since} closed, {reopened} reopened, {changed} changed, {removed} removed)</translation>
    </message>
</context>
<context>
    <name>CompletenessPage</name>
    <message>
        <source>提出前の確認</source>
        <translation>Before submitting</translation>
    </message>
    <message>
        <source>回答と証跡がそろっているかを確かめます。</source>
        <translation>Checks that every answer and evidence file is in place.</translation>
    </message>
    <message>
        <source>提出前に解決が必要な問題</source>
        <translation>Problems to solve before submitting</translation>
    </message>
    <message>
        <source>問題を選んで Enter を押すか、クリックすると、ウィザードを閉じてその設問へ移動します。</source>
        <translation>Select a problem and press Enter, or click it, to close the wizard and go to its item.</translation>
    </message>
    <message>
        <source>未完成のまま書き出す（問題の一覧が提出データに記録され、監査側に表示されます）</source>
        <translation>Export as incomplete (the list of problems is recorded in the submission and shown to the auditor)</translation>
    </message>
    <message>
        <source>必須項目 {done} / {total} 件が完了</source>
        <translation>Required items complete: {done} / {total}</translation>
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
</context>
<context>
    <name>Dashboard</name>
    <message>
        <source>ダッシュボード</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>必須項目の完了率</source>
        <translation>Required items done</translation>
    </message>
    <message>
        <source>セクション別（完了 / 必須、残っている設問）</source>
        <translation>By section (complete / required, items still open)</translation>
    </message>
    <message>
        <source>{section} の完了率</source>
        <translation>{section} done</translation>
    </message>
    <message>
        <source>問題の一覧</source>
        <translation>Problems</translation>
    </message>
    <message>
        <source>問題を選んで Enter を押すか、クリックすると、その設問へ移動します。</source>
        <translation>Select a problem and press Enter, or click it, to go to its item.</translation>
    </message>
    <message>
        <source>必須項目 {done} / {total} 件が完了（{pct}%）</source>
        <translation>Required items complete: {done} / {total} ({pct}%)</translation>
    </message>
    <message numerus="yes">
        <source>提出を妨げる問題 %n 件</source>
        <translation>
            <numerusform>%n blocking submission</numerusform>
            <numerusform>%n blocking submission</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>要改善 %n 件</source>
        <translation>
            <numerusform>%n needing improvement</numerusform>
            <numerusform>%n needing improvement</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>注意 %n 件</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warnings</numerusform>
        </translation>
    </message>
    <message>
        <source>問題の一覧 — {parts}</source>
        <translation>Problems — {parts}</translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <source>なし（例: 2027-03-31）</source>
        <translation>None (e.g. 2027-03-31)</translation>
    </message>
    <message>
        <source>日付を消す</source>
        <translation>Clear the date</translation>
    </message>
    <message>
        <source>カレンダー</source>
        <translation>Calendar</translation>
    </message>
    <message>
        <source>カレンダーから選ぶ（Alt+↓）</source>
        <translation>Pick from a calendar (Alt+↓)</translation>
    </message>
    <message>
        <source>カレンダー（{name}を選ぶ）</source>
        <translation>Calendar for {name}</translation>
    </message>
    <message>
        <source>カレンダー: {name}</source>
        <translation>Calendar: {name}</translation>
    </message>
</context>
<context>
    <name>DocumentExports</name>
    <message>
        <source>レビュー</source>
        <translation>review</translation>
    </message>
    <message>
        <source>チェックリスト</source>
        <translation>checklist</translation>
    </message>
    <message>
        <source>Excel ブック (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>報告書</source>
        <translation>report</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>チェックリストの書き出し先</source>
        <translation>Export the checklist to</translation>
    </message>
    <message>
        <source>報告書の書き出し先</source>
        <translation>Export the report to</translation>
    </message>
    <message>
        <source>チェックリストを作成しています…</source>
        <translation>Writing the checklist…</translation>
    </message>
    <message>
        <source>報告書を作成しています…</source>
        <translation>Writing the report…</translation>
    </message>
    <message>
        <source>書き出しました: {path}</source>
        <translation>Exported: {path}</translation>
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
        <source>発行日</source>
        <translation>Issue date</translation>
    </message>
    <message>
        <source>有効期限</source>
        <translation>Expiry date</translation>
    </message>
    <message>
        <source>発行日を日付として読めません（例: 2026-04-01、2026/4/1、2026年4月1日）。</source>
        <translation>The issue date is not a date (e.g. 2026-04-01, 2026/4/1, 2026年4月1日).</translation>
    </message>
    <message>
        <source>有効期限を日付として読めません（例: 2027-03-31、2027/3/31、2027年3月31日）。</source>
        <translation>The expiry date is not a date (e.g. 2027-03-31, 2027/3/31, 2027年3月31日).</translation>
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
        <source>証跡の一覧</source>
        <translation>Evidence files</translation>
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
        <source>差し替え…</source>
        <translation>Replace…</translation>
    </message>
    <message>
        <source>選択中の証跡を新しいファイルに差し替える</source>
        <translation>Replace the selected evidence with a new file</translation>
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
        <source>{item} の証跡の一覧</source>
        <translation>Evidence files of {item}</translation>
    </message>
    <message>
        <source>設問を選ぶと、その設問の証跡がここに表示されます。</source>
        <translation>Select an item to see its evidence here.</translation>
    </message>
    <message>
        <source>この設問には証跡が添付されていません。</source>
        <translation>No evidence is attached to this item.</translation>
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
        <source>差し替えるファイルを選択（{name} の代わり）</source>
        <translation>Choose the file that replaces {name}</translation>
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
    <name>ExportWizard</name>
    <message>
        <source>提出バンドルの書き出し</source>
        <translation>Export submission bundle</translation>
    </message>
    <message>
        <source>&lt; 戻る</source>
        <translation>&lt; Back</translation>
    </message>
    <message>
        <source>次へ &gt;</source>
        <translation>Next &gt;</translation>
    </message>
    <message>
        <source>完了</source>
        <translation>Finish</translation>
    </message>
    <message>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>中止しています…</source>
        <translation>Cancelling…</translation>
    </message>
</context>
<context>
    <name>ItemChangeModel</name>
    <message>
        <source>項目</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>前回</source>
        <translation>Previous</translation>
    </message>
    <message>
        <source>今回</source>
        <translation>This time</translation>
    </message>
    <message>
        <source>変更</source>
        <translation>Change</translation>
    </message>
</context>
<context>
    <name>KeyChangedDialog</name>
    <message>
        <source>警告: 署名鍵が変わっています</source>
        <translation>Warning: the signing key has changed</translation>
    </message>
    <message>
        <source>&lt;b&gt;「{vendor}」の提出バンドルが、記憶している鍵とは別の鍵で署名されています。&lt;/b&gt;</source>
        <translation>&lt;b&gt;This bundle of “{vendor}” is signed by a different key than the one remembered for this vendor.&lt;/b&gt;</translation>
    </message>
    <message>
        <source>記憶している鍵 ID: {old}（{date} に登録）
このバンドルの鍵 ID: {new}

提出者が鍵を作り直したことを、メール以外の経路（電話など）で鍵 ID まで確認できていない場合は、開かないでください。なりすましや改ざんの可能性があります。</source>
        <translation>Remembered key ID: {old} (pinned on {date})
Key ID of this bundle: {new}

Unless the vendor confirmed the new key ID to you through another channel than e-mail (by phone, for example), do not open it: it may be forged or altered.</translation>
    </message>
    <message>
        <source>提出者に新しい鍵 ID を確認しました</source>
        <translation>I confirmed the new key ID with the vendor</translation>
    </message>
    <message>
        <source>新しい鍵を受け入れて開く</source>
        <translation>Accept the new key and open</translation>
    </message>
    <message>
        <source>開かない</source>
        <translation>Do not open</translation>
    </message>
</context>
<context>
    <name>KeyboardHelp</name>
    <message>
        <source>キーボード操作</source>
        <translation>Keyboard</translation>
    </message>
    <message>
        <source>すべての操作はキーボードだけで行えます。メニューの項目は Alt キーと下線の文字でも開けます。</source>
        <translation>Everything can be done with the keyboard alone. Menus also open with Alt and the underlined letter.</translation>
    </message>
    <message>
        <source>キーボード操作の一覧</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>キー</source>
        <translation>Keys</translation>
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
        <source>検索語を消す</source>
        <translation>Clear the search</translation>
    </message>
    <message>
        <source>設問を検索</source>
        <translation>Search the questions</translation>
    </message>
    <message>
        <source>設問の文言・ID・出典で絞り込みます。</source>
        <translation>Filters by the question&apos;s wording, ID or source.</translation>
    </message>
    <message>
        <source>表示する設問</source>
        <translation>Questions shown</translation>
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
        <source>前年度との差分</source>
        <translation>Changed since last year</translation>
    </message>
    <message>
        <source>未回答の設問はありません。</source>
        <translation>No unanswered items.</translation>
    </message>
    <message>
        <source>前年度との差分: 先に「ファイル」→「前年度のワークスペースと比較…」を選んでください</source>
        <translation>Changes since last year: first choose File → Compare with last year&apos;s workspace…</translation>
    </message>
    <message>
        <source>前年度との差分: {n} 件</source>
        <translation>Changed since last year: {n}</translation>
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
        <source> [読み取り専用]</source>
        <translation> [read-only]</translation>
    </message>
    <message>
        <source>読み取り専用 — この場所には変更を保存できません</source>
        <translation>Read-only — changes cannot be saved in this place</translation>
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
        <source>完了 {done}/{total}（{pct}%）</source>
        <translation>Complete {done}/{total} ({pct}%)</translation>
    </message>
    <message>
        <source>保存されていない回答</source>
        <translation>Unsaved answers</translation>
    </message>
    <message numerus="yes">
        <source>空き容量不足などのため、%n 件の回答がまだ保存されていません。破棄して続けますか？（キャンセルすると、入力した内容はそのまま残ります）</source>
        <translation>
            <numerusform>%n answer could not be saved yet (not enough disk space or a similar problem). Discard it and continue? (Cancel keeps what you typed.)</numerusform>
            <numerusform>%n answers could not be saved yet (not enough disk space or a similar problem). Discard them and continue? (Cancel keeps what you typed.)</numerusform>
        </translation>
    </message>
    <message>
        <source>破棄して続ける</source>
        <translation>Discard and continue</translation>
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
        <source>証跡の暗号化・保存、または書き出しが終わるまでお待ちください。キャンセルもできます。</source>
        <translation>Please wait until the evidence is encrypted or saved, or the export is done. You can also cancel.</translation>
    </message>
</context>
<context>
    <name>OpenBundleDialog</name>
    <message>
        <source>監査: 提出バンドルを開く</source>
        <translation>Audit: open a submission bundle</translation>
    </message>
    <message>
        <source>提出バンドルの署名と全ファイルのハッシュを確かめてから、読み取り専用で開きます。提出者の公開鍵は、バンドルとは別の経路で受け取り、鍵 ID を確認したものを指定してください。</source>
        <translation>The bundle’s signatures and the hash of every file are checked, then it opens read-only. Give the vendor’s public key that you received through another channel than the bundle, with its key ID confirmed.</translation>
    </message>
    <message>
        <source>提出バンドル</source>
        <translation>Submission bundle</translation>
    </message>
    <message>
        <source>自分の秘密鍵（age）</source>
        <translation>Your identity (age)</translation>
    </message>
    <message>
        <source>提出者の公開鍵</source>
        <translation>Vendor’s public key</translation>
    </message>
    <message>
        <source>提出者から受け取った公開鍵ファイル（.pub）</source>
        <translation>Public key file (.pub) received from the vendor</translation>
    </message>
    <message>
        <source>提出者の公開鍵ファイル</source>
        <translation>Sender&apos;s public key file</translation>
    </message>
    <message>
        <source>展開先</source>
        <translation>Open into</translation>
    </message>
    <message>
        <source>自動（{folder} の下）</source>
        <translation>Automatic (under {folder})</translation>
    </message>
    <message>
        <source>非公式テンプレート</source>
        <translation>Unofficial template</translation>
    </message>
    <message>
        <source>通常は空欄（アプリが同梱する公式テンプレートで判定します）</source>
        <translation>Usually empty (the official template shipped with the app is used)</translation>
    </message>
    <message>
        <source>アプリが同梱していない版のテンプレートで作られたバンドルを、信頼できるテンプレートファイルで判定するときだけ指定します。判定結果には「非公式テンプレート」と表示されます。</source>
        <translation>Only for a bundle made with a template version the app does not ship: it is then judged against the template file you trust, and the result says “unofficial template”.</translation>
    </message>
    <message>
        <source>展開先のフォルダーには復号した証跡がそのまま保存されます。確認が終わったら、組織の規程に従って削除してください。</source>
        <translation>The folder it opens into holds the decrypted evidence. Delete it according to your organisation’s rules when the review is done.</translation>
    </message>
    <message>
        <source>検証と展開の進み具合</source>
        <translation>Verification and extraction progress</translation>
    </message>
    <message>
        <source>検証して開く</source>
        <translation>Verify and open</translation>
    </message>
    <message>
        <source>{vendor} — 鍵 ID {key_id}（{date} に登録）</source>
        <translation>{vendor} — key ID {key_id} (pinned on {date})</translation>
    </message>
    <message>
        <source>公開鍵ファイルを指定する…</source>
        <translation>Choose a public key file…</translation>
    </message>
    <message>
        <source>提出バンドルを選択</source>
        <translation>Choose the submission bundle</translation>
    </message>
    <message>
        <source>提出バンドル (*.zip);;すべてのファイル (*)</source>
        <translation>Submission bundles (*.zip);;All files (*)</translation>
    </message>
    <message>
        <source>age の秘密鍵ファイルを選択</source>
        <translation>Choose your age identity file</translation>
    </message>
    <message>
        <source>age 秘密鍵 (*.age-identity *.txt *.key);;すべてのファイル (*)</source>
        <translation>age identities (*.age-identity *.txt *.key);;All files (*)</translation>
    </message>
    <message>
        <source>提出者の公開鍵を選択</source>
        <translation>Choose the vendor’s public key</translation>
    </message>
    <message>
        <source>minisign 公開鍵 (*.pub);;すべてのファイル (*)</source>
        <translation>minisign public keys (*.pub);;All files (*)</translation>
    </message>
    <message>
        <source>判定に使うテンプレートファイルを選択</source>
        <translation>Choose the template file to judge by</translation>
    </message>
    <message>
        <source>テンプレート (*.yaml *.yml);;すべてのファイル (*)</source>
        <translation>Templates (*.yaml *.yml);;All files (*)</translation>
    </message>
    <message>
        <source>展開先のフォルダー（新しいか空のもの）</source>
        <translation>Folder to open into (new or empty)</translation>
    </message>
    <message>
        <source>バンドルに同梱の鍵 ID {key_id} は「{vendor}」として記憶している鍵です（検証で確かめます）。</source>
        <translation>The key ID enclosed in the bundle, {key_id}, is the key remembered for “{vendor}” (verification will confirm it).</translation>
    </message>
    <message>
        <source>バンドルに同梱の鍵 ID は {key_id} です（未検証）。提出者から別の経路で受け取った公開鍵と同じ鍵 ID か確かめてください。</source>
        <translation>The key ID enclosed in the bundle is {key_id} (not verified). Check that it is the key ID of the public key you received from the vendor through another channel.</translation>
    </message>
    <message>
        <source>署名とファイルを検証しています…</source>
        <translation>Verifying the signatures and files…</translation>
    </message>
    <message>
        <source>検証に失敗したため、開きませんでした。</source>
        <translation>Verification failed: the bundle was not opened.</translation>
    </message>
    <message>
        <source>開きませんでした — 署名鍵が変わっています</source>
        <translation>Not opened — the signing key has changed</translation>
    </message>
    <message>
        <source>「{vendor}」の鍵として記憶している鍵 ID は {old} ですが、このバンドルは {new} で署名されています。提出者に確認してください。</source>
        <translation>The key ID remembered for “{vendor}” is {old}, but this bundle is signed by {new}. Check with the vendor.</translation>
    </message>
    <message>
        <source>「{vendor}」の鍵を {key_id} に更新しました（確認済みとして受け入れ）。</source>
        <translation>The key of “{vendor}” is now {key_id} (accepted as confirmed).</translation>
    </message>
    <message>
        <source>開きませんでした — 提出者名が変わっています</source>
        <translation>Not opened — the vendor name has changed</translation>
    </message>
    <message>
        <source>鍵 ID {key_id} は「{old}」の鍵として記憶していますが、このバンドルの提出者名は「{vendor}」です。提出者に確認してください。</source>
        <translation>Key ID {key_id} is pinned for “{old}”, but this bundle names its vendor “{vendor}”. Check with the vendor.</translation>
    </message>
    <message>
        <source>鍵 ID {key_id} を「{vendor}」の鍵としても記憶しました（確認済みとして受け入れ）。</source>
        <translation>Key ID {key_id} is now pinned for “{vendor}” too (accepted as confirmed).</translation>
    </message>
    <message>
        <source>この鍵を「{vendor}」の鍵として記憶しました。次回からは自動で照合します。</source>
        <translation>This key is now remembered as the key of “{vendor}”; later bundles are compared with it.</translation>
    </message>
    <message>
        <source>「{vendor}」の記憶している鍵と一致しました。</source>
        <translation>Matches the key remembered for “{vendor}”.</translation>
    </message>
    <message>
        <source>展開しています…</source>
        <translation>Opening…</translation>
    </message>
    <message>
        <source>前回開いたフォルダーを使います（記録済みの判定を引き継ぎます）。</source>
        <translation>The folder opened last time is used (your recorded verdicts are kept).</translation>
    </message>
    <message>
        <source>開けませんでした。</source>
        <translation>Could not open it.</translation>
    </message>
    <message>
        <source>中止しています…</source>
        <translation>Cancelling…</translation>
    </message>
</context>
<context>
    <name>OriginComparison</name>
    <message>
        <source>前年度のワークスペースを読み取り専用で開いています…</source>
        <translation>Opening last year&apos;s workspace read-only…</translation>
    </message>
</context>
<context>
    <name>OriginDialog</name>
    <message>
        <source>前年度のワークスペースと比較</source>
        <translation>Compare with last year&apos;s workspace</translation>
    </message>
    <message>
        <source>前年度のワークスペースのフォルダー</source>
        <translation>Folder of last year&apos;s workspace</translation>
    </message>
    <message>
        <source>参照…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>フォルダー</source>
        <translation>Folder</translation>
    </message>
    <message>
        <source>前年度のワークスペースのパスフレーズ</source>
        <translation>Passphrase of last year&apos;s workspace</translation>
    </message>
    <message>
        <source>パスフレーズ</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>比較する</source>
        <translation>Compare</translation>
    </message>
    <message>
        <source>前年度のワークスペースを選ぶ</source>
        <translation>Choose last year&apos;s workspace</translation>
    </message>
</context>
<context>
    <name>OutputPage</name>
    <message>
        <source>保存先</source>
        <translation>Destination</translation>
    </message>
    <message>
        <source>提出バンドル（.zip）を保存するファイルを指定します。既存のファイルは確認なしに上書きしません。</source>
        <translation>Choose the file for the submission bundle (.zip). An existing file is never replaced without asking.</translation>
    </message>
    <message>
        <source>書き出す</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>保存先のファイル</source>
        <translation>Output file</translation>
    </message>
    <message>
        <source>参照…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>提出バンドル</source>
        <translation>submission-bundle</translation>
    </message>
    <message>
        <source>署名: 鍵 ID {key_id}</source>
        <translation>Signed with key ID {key_id}</translation>
    </message>
    <message>
        <source>受取人: {n} 名</source>
        <translation>Recipients: {n}</translation>
    </message>
    <message>
        <source>未完成のまま書き出します（問題の一覧が提出データに記録されます）。</source>
        <translation>Exported as incomplete (the list of problems is recorded in the submission).</translation>
    </message>
    <message>
        <source>提出バンドルの保存先</source>
        <translation>Save the submission bundle as</translation>
    </message>
    <message>
        <source>提出バンドル (*.zip)</source>
        <translation>Submission bundles (*.zip)</translation>
    </message>
    <message>
        <source>フォルダーではなく、ファイル名を指定してください。</source>
        <translation>Give a file name, not a folder.</translation>
    </message>
    <message>
        <source>フォルダー {folder} がありません。</source>
        <translation>The folder {folder} does not exist.</translation>
    </message>
</context>
<context>
    <name>PassphraseFields</name>
    <message>
        <source>パスフレーズ</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>パスフレーズの強度</source>
        <translation>Passphrase strength</translation>
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
        <source>プレビュー</source>
        <translation>Preview</translation>
    </message>
    <message>
        <source>PDF 全 {pages} ページ中、先頭 {shown} ページを表示しています。</source>
        <translation>Showing the first {shown} of {pages} PDF pages.</translation>
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
    <name>ReadOnlyBanner</name>
    <message>
        <source>読み取り専用で開いています</source>
        <translation>Opened read-only</translation>
    </message>
    <message>
        <source>このワークスペース（{folder}）は書き込めない場所（CD、書き込み禁止の USB メモリや共有フォルダー、書き込み権限のないフォルダー）にあります。閲覧と、チェックリスト・報告書の別のフォルダーへの書き出しはできますが、回答・証跡の変更と提出バンドルの書き出しはできません。変更するには、フォルダーごと書き込めるドライブにコピーしてそのコピーを開いてください。</source>
        <translation>This workspace ({folder}) is in a place that cannot be written (a CD, a write-protected USB stick or share, a folder without write permission). You can read it and export the checklist and the report to another folder, but you cannot change answers or evidence or export a submission bundle. To make changes, copy the whole folder to a drive you can write to and open the copy.</translation>
    </message>
</context>
<context>
    <name>RecipientsPage</name>
    <message>
        <source>受取人（監査側）</source>
        <translation>Recipients (auditors)</translation>
    </message>
    <message>
        <source>提出バンドルを開ける人の公開鍵を追加します。age1… で始まる鍵を貼り付けるか、受取人ファイル（.age-recipient）を選んでください。複数追加できます。</source>
        <translation>Add the public keys of who may open the bundle: paste a key starting with age1…, or choose a recipient file (.age-recipient). You can add several.</translation>
    </message>
    <message>
        <source>受取人の公開鍵（age1…）</source>
        <translation>Recipient&apos;s public key (age1…)</translation>
    </message>
    <message>
        <source>追加</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>ファイルから…</source>
        <translation>From file…</translation>
    </message>
    <message>
        <source>追加した受取人</source>
        <translation>Recipients added</translation>
    </message>
    <message>
        <source>選んだ受取人を削除</source>
        <translation>Remove the selected recipient</translation>
    </message>
    <message>
        <source>受取人の公開鍵は秘密ではありません。鍵は監査側から直接受け取り、可能なら電話などで内容を確かめてください。</source>
        <translation>Recipient keys are not secret. Get them from the auditor directly and, if you can, confirm them by phone.</translation>
    </message>
    <message>
        <source>この受取人はすでに追加されています。</source>
        <translation>This recipient is already in the list.</translation>
    </message>
    <message>
        <source>鍵を貼り付けてから「追加」を押してください。</source>
        <translation>Paste a key, then press “Add”.</translation>
    </message>
    <message>
        <source>これは秘密鍵です。受取人の公開鍵（age1… で始まる方）を入力してください。秘密鍵は誰にも渡さないでください。</source>
        <translation>This is a secret key. Enter the recipient’s public key (the one starting with age1…). Never hand a secret key to anyone.</translation>
    </message>
    <message>
        <source>SSH の鍵には対応していません。age1… で始まる age の公開鍵を入力してください。</source>
        <translation>SSH keys are not supported. Enter an age public key starting with age1….</translation>
    </message>
    <message>
        <source>age の公開鍵ではありません。age1… で始まる文字列を入力してください。</source>
        <translation>This is not an age public key. Enter a key starting with age1….</translation>
    </message>
    <message>
        <source>age1… の鍵として正しくありません。途中で切れているか、文字が違っていないか確かめてください。</source>
        <translation>This is not a valid age1… key. Check that it is complete and has no wrong characters.</translation>
    </message>
    <message>
        <source>受取人の公開鍵ファイルを選択</source>
        <translation>Choose a recipient key file</translation>
    </message>
    <message>
        <source>age 受取人 (*.age-recipient *.txt *.pub);;すべてのファイル (*)</source>
        <translation>age recipients (*.age-recipient *.txt *.pub);;All files (*)</translation>
    </message>
    <message>
        <source>このファイルから受取人を読み取れません: {detail}</source>
        <translation>No recipient can be read from this file: {detail}</translation>
    </message>
</context>
<context>
    <name>ReviewList</name>
    <message>
        <source>監査側の判定・指摘事項の一覧</source>
        <translation>The auditor&apos;s verdicts and findings</translation>
    </message>
    <message>
        <source>監査側の確認結果 — 指摘 {n} 件（{summary}）</source>
        <translation>The auditor&apos;s review — {n} findings ({summary})</translation>
    </message>
</context>
<context>
    <name>ReviewModel</name>
    <message>
        <source>（判定なし）</source>
        <translation>(no verdict)</translation>
    </message>
    <message>
        <source>（指摘事項なし）</source>
        <translation>(no finding)</translation>
    </message>
    <message>
        <source>確認後に回答・証跡を変更しました（再確認が必要）</source>
        <translation>Changed after the review (to be checked again)</translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <source>指摘事項</source>
        <translation>Finding</translation>
    </message>
    <message>
        <source>指摘・確認した内容（任意）</source>
        <translation>What you found or checked (optional)</translation>
    </message>
    <message>
        <source>今日</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>確認者</source>
        <translation>Reviewer</translation>
    </message>
    <message>
        <source>判定</source>
        <translation>Verdict</translation>
    </message>
    <message>
        <source>← → で選び Space で確定、1〜4 で直接選択、Delete で取り消し。もう一度クリックしても取り消せます。</source>
        <translation>← → to choose and Space to confirm, 1–4 to choose directly, Delete to take it back. Clicking the chosen verdict again takes it back too.</translation>
    </message>
    <message>
        <source>確認日</source>
        <translation>Review date</translation>
    </message>
    <message>
        <source>{item} の判定</source>
        <translation>Verdict on {item}</translation>
    </message>
    <message>
        <source>{item} の判定・指摘事項</source>
        <translation>Verdict and finding for {item}</translation>
    </message>
    <message>
        <source>判定・指摘事項</source>
        <translation>Verdict and finding</translation>
    </message>
    <message>
        <source>この設問への指摘はありません。</source>
        <translation>No finding for this item.</translation>
    </message>
    <message>
        <source>この確認の後に回答・備考・証跡を変更しました（再確認が必要）。</source>
        <translation>The answer, note or evidence changed after this review (to be checked again).</translation>
    </message>
    <message>
        <source>確認日を日付として読めません（例: 2026-04-01、2026/4/1、2026年4月1日）。</source>
        <translation>The review date is not a date (e.g. 2026-04-01, 2026/4/1, 2026年4月1日).</translation>
    </message>
    <message>
        <source>review.json に保存しました（{time}）</source>
        <translation>Saved to review.json ({time})</translation>
    </message>
</context>
<context>
    <name>RunPage</name>
    <message>
        <source>書き出し</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>回答・証跡・活動記録を暗号化し、署名しています。</source>
        <translation>Encrypting and signing the answers, the evidence and the activity log.</translation>
    </message>
    <message>
        <source>次へ</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>書き出しの進み具合</source>
        <translation>Export progress</translation>
    </message>
    <message>
        <source>{name} を作成しています…</source>
        <translation>Writing {name}…</translation>
    </message>
    <message>
        <source>中止しました。ファイルは作成されていません。</source>
        <translation>Cancelled. No file was written.</translation>
    </message>
    <message>
        <source>書き出せませんでした。「戻る」で設定を見直してください。</source>
        <translation>The export failed. Use “Back” to check the settings.</translation>
    </message>
</context>
<context>
    <name>SectionForm</name>
    <message>
        <source>検索結果</source>
        <translation>Search results</translation>
    </message>
    <message>
        <source>条件に合う設問はありません。</source>
        <translation>No items match.</translation>
    </message>
</context>
<context>
    <name>SectionList</name>
    <message>
        <source>セクション</source>
        <translation>Sections</translation>
    </message>
    <message>
        <source>↑↓ でセクションを選ぶと、その設問が中央に表示されます。</source>
        <translation>Choose a section with ↑↓ to show its items in the middle.</translation>
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
    <message numerus="yes">
        <source>%n 分間操作がないとき</source>
        <translation>
            <numerusform>After %n minute without activity</numerusform>
            <numerusform>After %n minutes without activity</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n 秒間操作がないとき</source>
        <translation>
            <numerusform>After %n second without activity</numerusform>
            <numerusform>After %n seconds without activity</numerusform>
        </translation>
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
    <name>SigningKeyDialog</name>
    <message>
        <source>新しい署名鍵を作成</source>
        <translation>Create a signing key</translation>
    </message>
    <message>
        <source>提出バンドルに署名する鍵（minisign 形式）を作成します。秘密鍵（.key）はパスフレーズで暗号化して保存され、公開鍵（.pub）は監査側に渡すためのものです。</source>
        <translation>Creates a key (minisign format) to sign submission bundles. The secret key (.key) is stored encrypted with a passphrase; the public key (.pub) is for the auditor.</translation>
    </message>
    <message>
        <source>保存先（拡張子なし）</source>
        <translation>Save as (without extension)</translation>
    </message>
    <message>
        <source>このパスフレーズを忘れると、この鍵では二度と署名できません（新しい鍵を作り、監査側に新しい公開鍵を届け直すことになります）。秘密鍵ファイルは誰にも渡さず、バックアップを安全な場所に保管してください。</source>
        <translation>If you forget this passphrase, this key can never sign again (you would create a new key and send the auditor its new public key). Never give the secret key file to anyone, and keep a backup in a safe place.</translation>
    </message>
    <message>
        <source>作成</source>
        <translation>Create</translation>
    </message>
    <message>
        <source>署名鍵の保存先</source>
        <translation>Save the signing key as</translation>
    </message>
    <message>
        <source>minisign 秘密鍵 (*.key)</source>
        <translation>minisign secret keys (*.key)</translation>
    </message>
    <message>
        <source>{names} はすでにあります。鍵ファイルは上書きしません。別の名前にしてください。</source>
        <translation>{names} already exists. Key files are never overwritten: choose another name.</translation>
    </message>
    <message>
        <source>作成するファイル: {secret}（秘密鍵）、{public}（公開鍵）</source>
        <translation>Files to create: {secret} (secret key), {public} (public key)</translation>
    </message>
    <message>
        <source>鍵を作成しています…</source>
        <translation>Creating the key…</translation>
    </message>
</context>
<context>
    <name>SigningKeyPage</name>
    <message>
        <source>署名鍵</source>
        <translation>Signing key</translation>
    </message>
    <message>
        <source>提出バンドルに署名する鍵（minisign 形式の秘密鍵 .key）を選ぶか、新しく作成します。監査側は対応する公開鍵（.pub）で、提出者と内容が正しいことを確かめます。</source>
        <translation>Choose the key that signs the bundle (a minisign secret key, .key) or create one. The auditor checks the sender and the contents with its public key (.pub).</translation>
    </message>
    <message>
        <source>秘密鍵ファイル（.key）</source>
        <translation>Secret key file (.key)</translation>
    </message>
    <message>
        <source>新しい署名鍵を作成…</source>
        <translation>Create a signing key…</translation>
    </message>
    <message>
        <source>秘密鍵</source>
        <translation>Secret key</translation>
    </message>
    <message>
        <source>署名鍵のパスフレーズ（ワークスペースのものとは別）</source>
        <translation>The signing key’s passphrase (not the workspace’s)</translation>
    </message>
    <message>
        <source>パスフレーズ</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>署名鍵（秘密鍵）を選択</source>
        <translation>Choose the signing key (secret key)</translation>
    </message>
    <message>
        <source>minisign 秘密鍵 (*.key);;すべてのファイル (*)</source>
        <translation>minisign secret keys (*.key);;All files (*)</translation>
    </message>
    <message>
        <source>この鍵ファイルは使えません: {detail}</source>
        <translation>This key file cannot be used: {detail}</translation>
    </message>
    <message>
        <source>公開鍵 {name}・鍵 ID {key_id}</source>
        <translation>Public key {name} · key ID {key_id}</translation>
    </message>
    <message>
        <source>対応する公開鍵（.pub）が同じフォルダーにありません。</source>
        <translation>Its public key (.pub) is not in the same folder.</translation>
    </message>
    <message>
        <source>署名鍵を確認しています…</source>
        <translation>Checking the signing key…</translation>
    </message>
    <message>
        <source>鍵 ID {key_id} で署名します。</source>
        <translation>Signing with key ID {key_id}.</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <source>書き出しが完了しました</source>
        <translation>Export complete</translation>
    </message>
    <message>
        <source>提出バンドルを監査側に届けてください。</source>
        <translation>Send the submission bundle to the auditor.</translation>
    </message>
    <message>
        <source>ファイル</source>
        <translation>File</translation>
    </message>
    <message>
        <source>サイズ</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>署名鍵 ID</source>
        <translation>Signer key ID</translation>
    </message>
    <message>
        <source>提出 ID</source>
        <translation>Submission ID</translation>
    </message>
    <message>
        <source>状態</source>
        <translation>State</translation>
    </message>
    <message>
        <source>内訳</source>
        <translation>Outcomes</translation>
    </message>
    <message>
        <source>フォルダーを開く</source>
        <translation>Show in folder</translation>
    </message>
    <message>
        <source>SHA-256 をコピー</source>
        <translation>Copy SHA-256</translation>
    </message>
    <message>
        <source>未完成（問題の一覧つき）</source>
        <translation>Incomplete (with the list of problems)</translation>
    </message>
    <message>
        <source>完成（要改善 {n} 件あり）</source>
        <translation>Complete ({n} needing improvement)</translation>
    </message>
    <message>
        <source>完成（すべて適合）</source>
        <translation>Complete (all conforming)</translation>
    </message>
    <message>
        <source>{size}（{n} バイト）</source>
        <translation>{size} ({n} bytes)</translation>
    </message>
    <message>
        <source>監査側には、このファイルとは別の経路で署名鍵の公開鍵（{pub}、鍵 ID {key_id}）を届け、鍵 ID を電話などで確認してもらってください。SHA-256 を伝えると、届いたファイルが同じものか確かめられます。</source>
        <translation>Send the auditor your public key ({pub}, key ID {key_id}) through another channel than this file, and have them confirm the key ID by phone. With the SHA-256 they can check that the file they received is the same.</translation>
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
    <message>
        <source>{item} の引継ぎ回答の確認</source>
        <translation>Confirming the carried answer to {item}</translation>
    </message>
    <message>
        <source>引継ぎ回答 {n} 件の確認</source>
        <translation>Confirming {n} carried answers</translation>
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
    <name>VendorExports</name>
    <message>
        <source>提出バンドルを書き出す…</source>
        <translation>Export submission bundle…</translation>
    </message>
    <message>
        <source>チェックリストを書き出す（xlsx）…</source>
        <translation>Export checklist (xlsx)…</translation>
    </message>
    <message>
        <source>報告書を書き出す（PDF）…</source>
        <translation>Export report (PDF)…</translation>
    </message>
    <message>
        <source>レビュー済みチェックリストを取り込む…</source>
        <translation>Import reviewed checklist…</translation>
    </message>
    <message>
        <source>レビュー済みのチェックリストを選択</source>
        <translation>Choose the reviewed checklist</translation>
    </message>
    <message>
        <source>Excel ブック (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>{name} を読み取っています…</source>
        <translation>Reading {name}…</translation>
    </message>
    <message>
        <source>取り込めません</source>
        <translation>Cannot import</translation>
    </message>
    <message>
        <source>このチェックリストは、このワークスペースから提出したものではありません。何も取り込んでいません。</source>
        <translation>This checklist is not of a submission sent from this workspace. Nothing was imported.</translation>
    </message>
    <message>
        <source>このチェックリストには、取り込める判定・指摘事項・確認者・確認日の記入がありません。何も取り込んでいません。</source>
        <translation>This checklist has no verdict, finding, reviewer or date that can be imported. Nothing was imported.</translation>
    </message>
    <message numerus="yes">
        <source>指摘 %n 件（{summary}）を取り込みます。</source>
        <translation>
            <numerusform>Import %n finding ({summary}).</numerusform>
            <numerusform>Import %n findings ({summary}).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>次の %n 件は信頼できないため取り込みません:</source>
        <translation>
            <numerusform>This entry cannot be trusted and is not imported:</numerusform>
            <numerusform>These %n entries cannot be trusted and are not imported:</numerusform>
        </translation>
    </message>
    <message>
        <source>レビューの取り込み</source>
        <translation>Import review</translation>
    </message>
    <message>
        <source>取り込む</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>監査側の指摘を取り込みました。設問を選ぶと右下に表示されます。</source>
        <translation>The auditor’s findings were imported. Select an item to see them at the bottom right.</translation>
    </message>
</context>
<context>
    <name>VendorNameChangedDialog</name>
    <message>
        <source>警告: 提出者名が変わっています</source>
        <translation>Warning: the vendor name has changed</translation>
    </message>
    <message>
        <source>&lt;b&gt;鍵 ID {key_id} は {names} の鍵として記憶していますが、このバンドルの提出者名は「{vendor}」です。&lt;/b&gt;</source>
        <translation>&lt;b&gt;Key ID {key_id} is pinned for {names}, but this bundle names its vendor “{vendor}”.&lt;/b&gt;</translation>
    </message>
    <message>
        <source>同じ鍵で別の提出者を名乗るバンドルです。社名の変更などを、メール以外の経路（電話など）で提出者に確認できていない場合は、開かないでください。なりすましの可能性があります。</source>
        <translation>The same key signs under another vendor name. Unless you have confirmed a change of name with the vendor by another channel than e-mail (e.g. by phone), do not open it: it may be an impersonation.</translation>
    </message>
    <message>
        <source>提出者に提出者名の変更を確認しました</source>
        <translation>I confirmed the change of name with the vendor</translation>
    </message>
    <message>
        <source>この提出者名でも記憶して開く</source>
        <translation>Pin this name too and open</translation>
    </message>
    <message>
        <source>開かない</source>
        <translation>Do not open</translation>
    </message>
</context>
<context>
    <name>VerifyBanner</name>
    <message>
        <source>詳細</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>検証した項目</source>
        <translation>Checks made</translation>
    </message>
    <message>
        <source>検証済み（非公式テンプレートで判定） — 提出ID {sid}（書き出し {when}）</source>
        <translation>Verified (judged by an UNOFFICIAL template) — submission {sid} (exported {when})</translation>
    </message>
    <message>
        <source>検証済み・提出不可（要対応 {n} 件） — 提出ID {sid}（書き出し {when}）</source>
        <translation>Verified, NOT complete ({n} blocking problems) — submission {sid} (exported {when})</translation>
    </message>
    <message>
        <source>検証済み — 提出ID {sid}（書き出し {when}）</source>
        <translation>Verified — submission {sid} (exported {when})</translation>
    </message>
    <message>
        <source>署名鍵 ID {key_id} の署名は正しく、{n} 個のファイルすべてのハッシュが署名済みの一覧と一致しました。提出後に変更されていません。</source>
        <translation>The signature by signer key ID {key_id} is valid and all {n} files match the signed list of hashes: nothing was changed after submission.</translation>
    </message>
    <message>
        <source>検証に失敗しました — 提出ID {sid}（書き出し {when}）</source>
        <translation>Verification failed — submission {sid} (exported {when})</translation>
    </message>
    <message>
        <source>検証に失敗しました</source>
        <translation>Verification failed</translation>
    </message>
    <message>
        <source>署名鍵 ID {key_id}。このバンドルには問題があります（改ざん・破損、指定した鍵以外の署名、または内容が公式テンプレートや再計算の結果と合いません）。開かずに提出者に連絡してください。</source>
        <translation>Signer key ID {key_id}. This bundle has a problem (altered or damaged, signed by a key other than the one given, or its content does not match the official template or the recomputation). Do not open it; contact the vendor.</translation>
    </message>
    <message>
        <source>このバンドルのテンプレートの版はアプリに同梱されていません。信頼できるテンプレートファイルを「非公式テンプレート」欄で指定すると、それで判定できます。</source>
        <translation>The app does not ship this bundle’s template version. Choose a template file you trust under “Unofficial template” to judge the bundle by it.</translation>
    </message>
    <message>
        <source>判定に使ったテンプレート: 公式 {id} {version}</source>
        <translation>Judged against the official template {id} {version}</translation>
    </message>
    <message>
        <source>判定に使ったテンプレート: 非公式 {id} {version}（監査人が指定した {source}。アプリが同梱する公式のものではありません）</source>
        <translation>Judged against the UNOFFICIAL template {id} {version} ({source}, chosen by the auditor; not an official template shipped with the app)</translation>
    </message>
    <message>
        <source>ほか {n} 件（「詳細」を参照）</source>
        <translation>{n} more (see “Details”)</translation>
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
        <source>前年度のワークスペースから作成…</source>
        <translation>Create from last year&apos;s workspace…</translation>
    </message>
    <message>
        <source>前年度の回答・備考・証跡を引き継いで、新しい監査期間のワークスペースを作成します。前年度のワークスペースは変更されません。</source>
        <translation>Creates the workspace of a new audit period with last year&apos;s answers, notes and evidence. Last year&apos;s workspace is not changed.</translation>
    </message>
    <message>
        <source>監査: 提出バンドルを開く…</source>
        <translation>Audit: open a submission bundle…</translation>
    </message>
    <message>
        <source>提出者から届いた提出バンドルを検証し、読み取り専用で開きます。</source>
        <translation>Verifies a bundle received from a vendor and opens it read-only.</translation>
    </message>
    <message>
        <source>監査: 登録簿（全提出者の提出）…</source>
        <translation>Audit: the register (every vendor’s submissions)…</translation>
    </message>
    <message>
        <source>監査人の登録簿を開きます。提出者ごとの提出、審査状況、有効期限、期限超過の是正を一覧できます。</source>
        <translation>Opens the auditor’s register: every vendor’s submissions, review state, expiry dates and overdue corrective actions.</translation>
    </message>
    <message>
        <source>{name}（見つかりません）
{path}</source>
        <translation>{name} (not found)
{path}</translation>
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
        <source>前年度のワークスペースから引き継いでいます…</source>
        <translation>Carrying over from last year&apos;s workspace…</translation>
    </message>
    <message>
        <source>ワークスペースを作成しています…</source>
        <translation>Creating the workspace…</translation>
    </message>
</context>
<context>
    <name>i18n</name>
    <message>
        <source>有効期限なし</source>
        <translation>no expiry</translation>
    </message>
    <message>
        <source>有効期限 {date}</source>
        <translation>expires {date}</translation>
    </message>
</context>
</TS>
