; The Windows installer of MCP Conductor, built on Linux with Debian's NSIS
; (build/windows/installer/build.sh, `make installer`).
;
; Per user, no administrator rights: the app goes to
; %LOCALAPPDATA%\Programs\MCP Conductor, with a Start-menu entry and an
; entry in "Installed apps" (HKCU). It offers to start the app at sign-in
; (the HKCU Run key), and installs the WebView2 runtime the window needs
; with Microsoft's bootstrapper when Windows has none. The uninstaller
; removes all of that; the user's data (%USERPROFILE%\.mcp-conductor) stays.
;
; Silent: `setup.exe /S [/AUTOSTART] [/D=folder]`; `uninstall.exe /S`.

Unicode true
; A 64-bit installer: the default 32-bit one silently does nothing on a
; 64-bit-only Wine, and the app is 64-bit anyway.
Target amd64-unicode

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "Sections.nsh"

!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef EXE
  !error "pass -DEXE=<the desktop build of mcp-conductor.exe>"
!endif
!ifndef WEBVIEW2
  !error "pass -DWEBVIEW2=<MicrosoftEdgeWebview2Setup.exe>"
!endif
!ifndef OUTFILE
  !define OUTFILE "mcp-conductor-setup.exe"
!endif

!define APP "MCP Conductor"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\MCPConductor"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
; The WebView2 runtime's client id: EdgeUpdate records each installed
; runtime's version ("pv") under it.
!define WEBVIEW2_CLIENT "Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

; With -DSIGN=<sign.sh> (build.sh passes it when a certificate is
; configured) the installer and the uninstaller it writes are signed:
; NSIS runs the command on each file as it finishes it.
!ifdef SIGN
  !finalize 'bash "${SIGN}" "%1"'
  !uninstfinalize 'bash "${SIGN}" "%1"'
!endif

Name "${APP}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\MCP Conductor"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
SetCompressor /SOLID lzma
ShowInstDetails show
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${APP} installer"
VIAddVersionKey "LegalCopyright" "Copyright the MCP Conductor authors. Apache License 2.0."

!define MUI_ICON "../icon.ico"
!define MUI_UNICON "../icon.ico"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\mcp-conductor.exe"
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "MCP Conductor" SecApp
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "/oname=mcp-conductor.exe" "${EXE}"
  File "/oname=LICENSE.txt" "../../../LICENSE"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\mcp-conductor.exe" "" "$INSTDIR\mcp-conductor.exe" 0
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "MCP Conductor authors"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\mcp-conductor.exe"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $0
  Call InstallWebView2
SectionEnd

Section /o "Start MCP Conductor when I sign in" SecAutostart
  ; The same value the app's "Start on login" switch writes (app/autostart),
  ; so the switch shows and changes what the installer chose.
  WriteRegStr HKCU "${RUN_KEY}" "${APP}" '"$INSTDIR\mcp-conductor.exe" --start-hidden'
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecApp} "The app: its window, its tray icon, and the mcp-conductor command MCP clients start."
  !insertmacro MUI_DESCRIPTION_TEXT ${SecAutostart} "Start the app when you sign in to Windows (you can change this in the app)."
!insertmacro MUI_FUNCTION_DESCRIPTION_END

Function .onInit
  SetRegView 64
  ; /AUTOSTART selects autostart in a silent install.
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/AUTOSTART" $1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${SecAutostart}
  ${EndIf}
FunctionEnd

; The window needs the WebView2 runtime (part of Windows 11; on Windows 10
; usually installed with Edge). If neither the machine nor the user has one,
; run Microsoft's bootstrapper, which downloads and installs it.
Function InstallWebView2
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\${WEBVIEW2_CLIENT}" "pv"
  ${If} $0 != ""
  ${AndIf} $0 != "0.0.0.0"
    DetailPrint "WebView2 runtime $0 found (machine)"
    Return
  ${EndIf}
  ReadRegStr $0 HKCU "Software\${WEBVIEW2_CLIENT}" "pv"
  ${If} $0 != ""
  ${AndIf} $0 != "0.0.0.0"
    DetailPrint "WebView2 runtime $0 found (user)"
    Return
  ${EndIf}
  DetailPrint "Installing the WebView2 runtime"
  InitPluginsDir
  File "/oname=$PLUGINSDIR\MicrosoftEdgeWebview2Setup.exe" "${WEBVIEW2}"
  ClearErrors
  ExecWait '"$PLUGINSDIR\MicrosoftEdgeWebview2Setup.exe" /silent /install' $1
  ${If} ${Errors}
  ${OrIf} $1 != 0
    DetailPrint "The WebView2 bootstrapper did not finish ($1): the window needs it; install it from Microsoft's WebView2 page"
  ${EndIf}
FunctionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

Section "Uninstall"
  ; The app may be running (its tray): ask it to end, then remove it.
  nsExec::Exec '"$SYSDIR\taskkill.exe" /IM mcp-conductor.exe /T'
  Delete "$INSTDIR\mcp-conductor.exe"
  Delete "$INSTDIR\LICENSE.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APP}.lnk"
  DeleteRegValue HKCU "${RUN_KEY}" "${APP}"
  DeleteRegKey HKCU "${UNINST_KEY}"
SectionEnd
