// The command groups of vagtctl; each adds its commands to the command line.
// One file per group: call_commands.cc, escalation_commands.cc, ...
#ifndef VAGT_SERVICES_VAGTCTL_COMMANDS_H_
#define VAGT_SERVICES_VAGTCTL_COMMANDS_H_

#include "services/vagtctl/command_line.h"

namespace vagt::vagtctl {

// vagtctl call receive|note|risk|plan|close (CallService).
void AddCallCommands(CommandLine& cli);

// vagtctl escalate, and vagtctl escalation ack|accept|decline|resolve|cancel
// (EscalationService).
void AddEscalationCommands(CommandLine& cli);

// vagtctl policy show|set (EscalationPolicyService).
void AddPolicyCommands(CommandLine& cli);

// vagtctl line take|handover|accept|decline|withdraw|pass-night|take-back|
// backup (LineService).
void AddLineCommands(CommandLine& cli);

// vagtctl citizen plan|consent|withdraw-consent (CitizenService).
void AddCitizenCommands(CommandLine& cli);

// vagtctl roster show|who|override|remove-override|set|export|import
// (RosterService).
void AddRosterCommands(CommandLine& cli);

// vagtctl board [--watch] (OnCallService).
void AddBoardCommands(CommandLine& cli);

// vagtctl timeline, board-at, verify, review (AuditService).
void AddAuditCommands(CommandLine& cli);

// vagtctl login, logout, whoami (the token vagtctl sends).
void AddLoginCommands(CommandLine& cli);

// vagtctl directory show|register|grant|revoke|suspend|reinstate|token|
// revoke-token|team|line|partner (DirectoryService).
void AddDirectoryCommands(CommandLine& cli);

}  // namespace vagt::vagtctl

#endif  // VAGT_SERVICES_VAGTCTL_COMMANDS_H_
