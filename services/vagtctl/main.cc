// vagtctl: the command-line client of vagt's services. A duty worker logs
// calls, escalates and hands the phone over with it; scripts use --json.
//
//   vagtctl login --token-file anna.token
//   vagtctl line take ishoj-bos
//   vagtctl call receive --line ishoj-bos --from citizen --citizen citizen-7f3a
//   vagtctl help
#include "services/vagtctl/command_line.h"
#include "services/vagtctl/commands.h"

int main(int argc, char** argv) {
  vagt::vagtctl::CommandLine cli;
  vagt::vagtctl::AddLoginCommands(cli);
  vagt::vagtctl::AddLineCommands(cli);
  vagt::vagtctl::AddCallCommands(cli);
  vagt::vagtctl::AddEscalationCommands(cli);
  vagt::vagtctl::AddPolicyCommands(cli);
  vagt::vagtctl::AddCitizenCommands(cli);
  vagt::vagtctl::AddRosterCommands(cli);
  vagt::vagtctl::AddBoardCommands(cli);
  vagt::vagtctl::AddAuditCommands(cli);
  vagt::vagtctl::AddDirectoryCommands(cli);
  return cli.Run(argc, argv);
}
